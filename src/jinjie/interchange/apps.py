from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "jinjie.interchange"
    label = "interchange"
    verbose_name = "数据导入导出"
