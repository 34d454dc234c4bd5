from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jinjie.api"
    label = "api"
