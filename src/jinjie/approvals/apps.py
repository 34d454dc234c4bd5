from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "jinjie.approvals"
    label = "approvals"
    verbose_name = "审批与公示"
