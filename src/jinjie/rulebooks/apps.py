from django.apps import AppConfig


class RulebooksConfig(AppConfig):
    name = "jinjie.rulebooks"
    label = "rulebooks"
    verbose_name = "评定标准"
