from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jinjie.org"
    label = "org"
