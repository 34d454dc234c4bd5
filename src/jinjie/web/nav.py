"""The navigation of the web application, per role (SPEC 1): one list, read by base.html."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .views.imports import IMPORT_RIGHTS
from .views.queue import STEP_RIGHTS


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str
    rights: tuple[str, ...] | None  # any of these rights (org.authority); None: every logged-in user
    needs_employee: bool = False
    needs_superuser: bool = False
    section: str = ""  # may be a lazy translation


ITEMS = (
    NavItem("web:home", _("工作台"), "house-door", None),
    NavItem("web:career", _("我的职业发展"), "graph-up-arrow", None, needs_employee=True),
    NavItem("web:my_objections", _("我的异议"), "chat-left-quote", None, needs_employee=True),
    NavItem("web:queue", _("待我审批"), "inbox", STEP_RIGHTS, section=_("晋升管理")),
    NavItem("web:portal", _("职业发展中心"), "compass", ("portal.read",), section=_("职业发展")),
    NavItem("web:plans", _("个人发展计划"), "clipboard-check", ("plans.read",), section=_("职业发展")),
    NavItem("web:talks", _("职业规划谈话"), "chat-left-text", ("talks.read", "talks.record"), section=_("职业发展")),
    NavItem("web:mentorships", _("导师制"), "person-video3", ("mentorships.manage", "mentorships.mentor"), section=_("职业发展")),
    NavItem("web:surveys", _("满意度调查"), "ui-checks", ("surveys.manage", "surveys.answer"), section=_("职业发展")),
    NavItem("web:favour", _("评先与推荐名单"), "award", ("favour.read",), section=_("职业发展")),
    NavItem("web:periods", _("季度测评"), "calendar3", ("evaluations.run",), section=_("晋升管理")),
    NavItem("web:proposals", _("晋升/降级建议"), "list-check", ("proposals.list",), section=_("晋升管理")),
    NavItem("web:rounds", _("专卖管理员申报"), "award", ("rounds.read",), section=_("晋升管理")),
    NavItem("web:notices", _("公示"), "megaphone", None, section=_("晋升管理")),
    NavItem("web:objections", _("异议处理"), "chat-square-text", ("objections.read_filer",), section=_("晋升管理")),
    NavItem("web:selections", _("竞聘上岗"), "award", ("selections.browse",), section=_("晋升管理")),
    NavItem("web:employees", _("员工档案"), "people", ("employees.list",), section=_("人事数据")),
    NavItem("web:reassignments", _("调整岗位"), "arrow-left-right", ("reassignments.read",), section=_("人事数据")),
    NavItem("web:imports", _("数据导入"), "upload", IMPORT_RIGHTS, section=_("人事数据")),
    NavItem("web:users", _("登录账号"), "person-badge", ("users.manage",), section=_("人事数据")),
    NavItem("web:reports", _("统计报表"), "bar-chart-line", ("reports.read",), section=_("统计分析")),
    NavItem("web:whatif", _("标准试算"), "calculator", ("reports.whatif",), section=_("统计分析")),
    NavItem("web:rulebooks", _("评定标准"), "journal-text", None, section=_("制度标准")),
    NavItem("web:schemes", _("考核方案"), "list-ol", ("schemes.read",), section=_("制度标准")),
    # The Django admin is the installation's administrators' (superusers) only.
    NavItem("admin:index", _("系统管理"), "gear", None, section=_("制度标准"), needs_superuser=True),
)


def nav_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    out = []
    for item in ITEMS:
        if item.rights is not None and not access.may(user, *item.rights):
            continue
        if item.needs_employee and not user.employee_id:
            continue
        if item.needs_superuser and not user.is_superuser:
            continue
        url = reverse(item.url_name)
        matches = path == url if url == "/" else path.startswith(url)
        out.append({"url": url, "label": item.label, "icon": item.icon, "active": matches, "section": item.section})
    # One item is active: the one whose URL matches most of the path (/reports/whatif/ is 标准试算,
    # not also 统计报表).
    longest = max((len(x["url"]) for x in out if x["active"]), default=0)
    for x in out:
        x["active"] = x["active"] and len(x["url"]) == longest
    return out
