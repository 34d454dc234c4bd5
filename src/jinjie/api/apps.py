from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jinjie.api"
    label = "api"
    verbose_name = "接口"
