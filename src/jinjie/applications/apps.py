from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """专卖管理员 apply for their next level (申报, SPEC 3.1): rounds, checks, review. A reviewed
    application travels the one workflow as an `evaluations.Proposal` of kind MONOPOLY, whose
    channel (approvals.channels) is built in: taking effect grants the level."""

    name = "jinjie.applications"
    label = "applications"
    verbose_name = "专卖管理员等级申报"
