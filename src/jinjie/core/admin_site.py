"""The Django admin is the installation's administrators' (superusers) only.

HR, the assessment centre and everyone else work through the application's pages, whose every
write goes through the services and the one authority (org.authority) with its org scopes. The
admin checks no scope and bypasses the services, so nobody but a superuser may open it: that is
what keeps a county HR login from reading the whole province, changing another county's scores or
taking over the superuser's account through the user pages.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class JinjieAdminSite(admin.AdminSite):
    site_header = "晋阶 · 系统管理"
    site_title = "晋阶系统管理"
    index_title = "系统管理(仅限系统管理员)"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class JinjieAdminConfig(AdminConfig):
    default_site = "jinjie.core.admin_site.JinjieAdminSite"


class ChineseHelpMixin:
    """Chinese help under the admin's form fields (`help_texts`: field name → text), without
    touching the models (and so without a migration). The form factory merges them in."""

    help_texts: dict[str, str] = {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {**self.help_texts, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, change=change, **kwargs)
