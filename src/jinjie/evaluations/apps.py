from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "jinjie.evaluations"
    label = "evaluations"
