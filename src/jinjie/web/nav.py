"""The navigation of the web application, per role (SPEC 1): one list, read by base.html."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinjie.org.models import Role

from . import access


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    roles: tuple[str, ...] | None  # None: every logged-in user
    needs_employee: bool = False
    needs_staff: bool = False
    section: str = ""  # may be a lazy translation


ITEMS = (
    NavItem("web:home", _("工作台"), "house-door", None),
    NavItem("web:career", _("我的职业发展"), "graph-up-arrow", None, needs_employee=True),
    NavItem("web:periods", _("季度测评"), "calendar3", access.RUNS_EVALUATIONS, section=_("晋升管理")),
    NavItem("web:proposals", _("晋升/降级建议"), "list-check", access.LISTS_PROPOSALS, section=_("晋升管理")),
    NavItem("web:notices", _("公示"), "megaphone", None, section=_("晋升管理")),
    NavItem("web:objections", _("异议处理"), "chat-square-text", access.READS_OBJECTIONS, section=_("晋升管理")),
    NavItem("web:employees", _("员工档案"), "people", access.READS_EMPLOYEES, section=_("人事数据")),
    NavItem("web:reassignments", _("调整岗位"), "arrow-left-right", (Role.HR,), section=_("人事数据")),
    NavItem("web:imports", _("数据导入"), "upload", access.IMPORTS, section=_("人事数据")),
    NavItem("web:rulebooks", _("评定标准"), "journal-text", None, section=_("制度标准")),
    # Master data (units, users, employee records) is kept in the Django admin, for staff logins.
    NavItem("admin:index", _("基础数据管理"), "gear", None, section=_("制度标准"), needs_staff=True),
)


def nav_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    out = []
    for item in ITEMS:
        if item.roles is not None and not access.has_role(user, item.roles):
            continue
        if item.needs_employee and not user.employee_id:
            continue
        if item.needs_staff and not user.is_staff:
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        out.append({"url": url, "label": item.label, "icon": item.icon, "active": active, "section": item.section})
    return out
