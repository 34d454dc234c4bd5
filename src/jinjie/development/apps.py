from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "jinjie.development"
    label = "development"
    verbose_name = "职业发展"
