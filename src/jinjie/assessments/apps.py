from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "jinjie.assessments"
    label = "assessments"
