from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jinjie.reports"
    label = "reports"
    verbose_name = "统计分析"
