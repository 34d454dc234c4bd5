from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "jinjie.interchange"
    label = "interchange"
