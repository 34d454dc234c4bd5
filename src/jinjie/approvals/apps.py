from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "jinjie.approvals"
    label = "approvals"
