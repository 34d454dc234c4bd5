from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "jinjie.assessments"
    label = "assessments"
    verbose_name = "考核数据"
