from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jinjie.web"
    label = "web"
    verbose_name = "网页"
