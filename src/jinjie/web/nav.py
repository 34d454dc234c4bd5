"""The navigation of the web application, per role (SPEC 1): one list, read by base.html."""

from dataclasses import dataclass

from django.urls import reverse

from jinjie.org.models import Role

from . import access


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    roles: tuple[str, ...] | None  # None: every logged-in user
    needs_employee: bool = False
    section: str = ""


ITEMS = (
    NavItem("web:home", "工作台", "house-door", None),
    NavItem("web:career", "我的职业发展", "graph-up-arrow", None, needs_employee=True),
    NavItem("web:periods", "季度测评", "calendar3", access.RUNS_EVALUATIONS, section="晋升管理"),
    NavItem("web:proposals", "晋升/降级建议", "list-check", access.LISTS_PROPOSALS, section="晋升管理"),
    NavItem("web:notices", "公示", "megaphone", None, section="晋升管理"),
    NavItem("web:objections", "异议处理", "chat-square-text", access.READS_OBJECTIONS, section="晋升管理"),
    NavItem("web:employees", "员工档案", "people", access.READS_EMPLOYEES, section="人事数据"),
    NavItem("web:reassignments", "调整岗位", "arrow-left-right", (Role.HR,), section="人事数据"),
    NavItem("web:imports", "数据导入", "upload", access.IMPORTS, section="人事数据"),
    NavItem("web:rulebooks", "评定标准", "journal-text", None, section="制度标准"),
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
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        out.append({"url": url, "label": item.label, "icon": item.icon, "active": active, "section": item.section})
    return out
