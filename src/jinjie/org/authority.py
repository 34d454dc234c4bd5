"""The one authority: who may do what, over which units (SPEC 1 as data).

`RIGHTS` is the whole table. Every service that writes (and every selector that decides what a
user may read) asks it through `require` / `allows`; the web pages, the API and the admin only ask
it what to show. A new channel adds rows here, never another role check of its own.

A right says
- which roles hold it (a superuser holds every right — they administer the installation — except
  an office's decisions, which only the role's holders take);
- its reach: `ORG` — the target must be inside the user's org subtree, and an employee login may
  only act on their own employee; `MEMBER` — the user's own employee must belong to the target
  unit (filing an objection to a notice of one's unit); `ANYONE` — no data scope (reading the
  published standards);
- whether it is recused (回避): nobody decides, scores or resolves anything about themselves — not
  when the target is their own employee record, nor when they are a named party of it (the filer of
  the objection being resolved, a judge's own candidacy …). Superusers are recused too;
- whether it is bound to the reviewer's track (a 营销中心 reviewer confirms 客户经理 only).

`target` is what the action is about: an OrgUnit, an Employee, anything with an `employee`
attribute, or a `Subject` built by the caller when it knows more (parties, track).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jinjie.core.errors import NotPermitted

from .models import OrgUnit, Role, User
from .scoping import can_see_org_unit

__all__ = [
    "ACTIONS",
    "RIGHTS",
    "Reach",
    "Right",
    "Subject",
    "allows",
    "explain",
    "import_action",
    "require",
    "reviews_track",
    "roles_for",
]

R = Role
ALL_ROLES = frozenset(Role)
STAFF = ALL_ROLES - {R.EMPLOYEE}


class Reach(StrEnum):
    ORG = "org"
    MEMBER = "member"
    ANYONE = "anyone"


@dataclass(frozen=True)
class Right:
    label: str  # the action in Chinese, as a refusal names it: "审批晋升/降级建议"
    roles: frozenset[str]
    reach: Reach = Reach.ORG
    recuse: bool = False
    track_bound: bool = False
    # An office's decision (审批, 公示, 异议处理 …): held by the role only. A superuser administers the
    # installation; they do not sit on the committee by being a superuser.
    office: bool = False


def _right(
    label: str, *roles: str, reach: Reach = Reach.ORG, recuse: bool = False, track_bound: bool = False,
    office: bool = False,
) -> Right:
    return Right(label, frozenset(roles), reach, recuse, track_bound, office)


# Which department reviews which track (SPEC 1, 3.1): a track reviewer's `track` names the ladder
# track they confirm; 专卖监督管理科 (who confirm 市场管理员) also review 专卖管理员 applications.
REVIEWED_TRACKS: dict[str, frozenset[str]] = {
    "客户经理": frozenset({"客户经理"}),
    "市场管理员": frozenset({"市场管理员", "专卖管理员"}),
}

# The kinds of SPEC 6 that 督察考评中心 enters (SPEC 1); HR enters every kind.
ASSESSMENT_KINDS = ("scores", "ability", "violations", "contributions")
MASTER_KINDS = (
    "employees", "training", "annual", "publications", "qualifications", "rank_history", "org_units",
)
KIND_LABELS = {
    "employees": "员工", "scores": "月度考核", "training": "培训记录", "ability": "综合能力测评",
    "violations": "违规记录", "contributions": "突出贡献", "annual": "年度考核", "publications": "论文",
    "qualifications": "资格", "rank_history": "职级变动", "org_units": "单位",
}

RIGHTS: dict[str, Right] = {
    # --- master data ------------------------------------------------------------------------------
    "users.manage": _right("管理登录账号", R.HR, recuse=True),
    # An employee login reads its own record; 督察考评中心 needs the employee numbers it scores.
    "employees.read": _right("查看员工档案", R.HR, R.COMMITTEE, R.ASSESSOR, R.EMPLOYEE),
    "employees.list": _right("查看员工档案列表", R.HR, R.COMMITTEE, R.ASSESSOR),
    "employees.reveal_id": _right("查看完整身份证号", R.HR),
    # A granted 专卖管理员 level is never edited; a wrong date is corrected by a new record.
    "qualifications.correct": _right("更正专卖管理员资格", R.HR, recuse=True),
    **{f"import.{k}": _right(f"导入{KIND_LABELS[k]}数据", R.HR, R.ASSESSOR, recuse=True) for k in ASSESSMENT_KINDS},
    # Data about a person is never entered by that person (回避); units are nobody's own record.
    **{f"import.{k}": _right(f"导入{KIND_LABELS[k]}数据", R.HR, recuse=k != "org_units") for k in MASTER_KINDS},
    **{f"export.{k}": _right(f"导出{KIND_LABELS[k]}数据", R.HR, R.ASSESSOR) for k in ASSESSMENT_KINDS},
    **{f"export.{k}": _right(f"导出{KIND_LABELS[k]}数据", R.HR) for k in MASTER_KINDS},
    # --- standards ------------------------------------------------------------------------------
    "rulebooks.read": _right("查看评定标准", *ALL_ROLES, reach=Reach.ANYONE),
    "rulebooks.edit": _right("起草评定标准", R.HR),
    "rulebooks.publish": _right("发布评定标准", R.HR),
    # --- the quarterly evaluation and its workflow (SPEC 2.3, 2.4) ------------------------------
    "evaluations.run": _right("运行季度测评", R.COMMITTEE, R.HR),
    "proposals.list": _right("查看晋升/降级建议列表", R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR),
    # An employee reads their own proposals (SPEC 2.3: "so that an employee can read why").
    "proposals.read": _right(
        "查看晋升/降级建议", R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR, R.EMPLOYEE
    ),
    "proposals.export": _right("导出测评结果", R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR),
    "proposals.submit": _right("提交测评结果审批", R.COMMITTEE, recuse=True, office=True),
    "proposals.decide.track_review": _right("审批“序列审核”环节", R.TRACK_REVIEWER, recuse=True, track_bound=True, office=True),
    "proposals.decide.committee": _right("审批“考评委员会”环节", R.COMMITTEE, recuse=True, office=True),
    "proposals.decide.leader": _right("审批“分局(公司)领导”环节", R.LEADER, recuse=True, office=True),
    "proposals.decide.director": _right("审批“局长(经理)”环节", R.DIRECTOR, recuse=True, office=True),
    "notices.publish": _right("发布公示", R.COMMITTEE, recuse=True, office=True),
    "notices.read": _right("查看公示", *ALL_ROLES, reach=Reach.ANYONE),
    # "Any employee of the unit" (SPEC 2.4), whatever their login's role.
    "objections.file": _right("对公示提出异议", *ALL_ROLES, reach=Reach.MEMBER),
    # The committee handles objections and 纪检监察 oversees them (SPEC 1); an employee reads those
    # about them (without the filer) and those they filed. Other staff read none but their own.
    "objections.read": _right("查看异议", R.COMMITTEE, R.DISCIPLINE, R.EMPLOYEE),
    "objections.read_filer": _right("查看异议提出人", R.COMMITTEE, R.DISCIPLINE),
    "objections.resolve": _right("处理异议", R.COMMITTEE, recuse=True, office=True),
    # 纪检监察 reads the proposals that the objections they read concern (read-only).
    "objections.read_proposals": _right("查看异议涉及的建议", R.DISCIPLINE),
    "demotions.immediate": _right("即时降档/降级", R.COMMITTEE, recuse=True, office=True),
    # The meeting (date, attendees, minutes) a committee decision was taken in, recorded with it.
    "meetings.record": _right("记录考评委员会会议", R.COMMITTEE, recuse=True, office=True),
    # The 晋级审批表 (PDF) the leaders sign: for those who decide or keep the proposals.
    "proposals.print_form": _right("打印晋级审批表", R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR),
    "reassignments.read": _right("查看调整岗位名单", R.HR),
    "reassignments.close": _right("办理调整岗位", R.HR, recuse=True),
    # --- 申报 (applications, SPEC 3.1) ---------------------------------------------------------
    # HR opens and closes rounds for its subtree; the reviewers and the committee read them (they
    # review and decide the applications of a round).
    "rounds.manage": _right("管理申报批次", R.HR),
    "rounds.read": _right("查看申报批次", R.HR, R.COMMITTEE, R.TRACK_REVIEWER),
    # A 专卖管理员 applies for themself (an employee login reaches only its own employee); HR
    # applies on an employee's behalf inside its subtree. Withdrawing goes the same way.
    "applications.apply": _right("申报专卖管理员等级", R.EMPLOYEE, R.HR),
    "applications.withdraw": _right("撤回专卖管理员等级申报", R.EMPLOYEE, R.HR),
    "applications.read": _right("查看专卖管理员等级申报", R.EMPLOYEE, R.HR, R.COMMITTEE, R.TRACK_REVIEWER),
    # 专卖监督管理科 (track reviewers of 市场管理员, REVIEWED_TRACKS) mark the manual items.
    "applications.review": _right(
        "审核专卖管理员等级申报", R.TRACK_REVIEWER, recuse=True, track_bound=True, office=True
    ),
    "applications.export": _right("导出专卖管理员等级申报", R.HR),
    # --- 统计分析 (reports, SPEC 9) ------------------------------------------------------------
    # "HR, the committee and leaders": 局长(经理) is the bureau's first leader and reads them too.
    "reports.read": _right("查看统计分析", R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR),
    # Trying a draft rule book on a past period is part of drafting it (HR edits the standards).
    "reports.whatif": _right("试算评定标准草稿", R.HR),
    # --- self-service ---------------------------------------------------------------------------
    # Always one's own record (the page reads the login's employee): no other target to scope.
    "career.read": _right("查看本人职业发展", *ALL_ROLES, reach=Reach.ANYONE),
    # --- 职业发展 (career development, SPEC 5) and 评先/外派学习/推荐干部 lists (SPEC 2.6) ---------
    # The portal is read by everyone; which pages a user reads is the page's unit (their own unit
    # and the units above it), decided in development.selectors.
    "portal.read": _right("查看职业发展中心", *ALL_ROLES, reach=Reach.ANYONE),
    "portal.edit": _right("编写职业发展中心页面", R.HR),
    # A plan is the employee's own (they keep it); HR keeps it with them; a unit leader reads and
    # comments. A mentor reads and comments only while paired: mentorships.mentor below.
    "plans.read": _right("查看个人发展计划", R.HR, R.LEADER, R.EMPLOYEE),
    "plans.edit": _right("修改个人发展计划", R.HR, R.EMPLOYEE),
    "plans.comment": _right("点评个人发展计划", R.HR, R.LEADER, recuse=True),
    "talks.record": _right("记录职业规划谈话", R.HR, R.LEADER, recuse=True),
    "talks.read": _right("查看职业规划谈话", R.HR, R.LEADER, R.EMPLOYEE),
    # 保密 notes: HR only (SPEC 5) — filtered in development.selectors, so no page, API or export
    # can show them to anyone else.
    "talks.read_confidential": _right("查看谈话保密记录", R.HR, recuse=True),
    "talks.acknowledge": _right("确认已阅谈话记录", R.EMPLOYEE),
    "mentorships.manage": _right("安排导师", R.HR, recuse=True),
    # Being a mentor is no role: any login whose employee is the mentor of an active pairing. The
    # right says who may ask; development.selectors.active_pairing decides whose mentee it is.
    "mentorships.mentor": _right("以导师身份查看学员", *ALL_ROLES, reach=Reach.ANYONE),
    "surveys.manage": _right("管理职业满意度调查", R.HR),
    # "Each employee in the audience": the survey's unit must contain the user's employee.
    "surveys.answer": _right("填写职业满意度调查", *ALL_ROLES, reach=Reach.MEMBER),
    "surveys.results": _right("查看调查结果", R.HR),
    "schemes.read": _right("查看考核方案", *ALL_ROLES, reach=Reach.ANYONE),
    # A scheme is the bureau's, one per track (SPEC 5: "per track"), not a unit's: no unit to scope.
    "schemes.edit": _right("修改考核方案", R.HR, reach=Reach.ANYONE),
    "favour.read": _right("查看评先/外派学习/推荐干部名单", R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR),
    "favour.draw": _right("生成评先/外派学习/推荐干部名单", R.HR),
    "favour.freeze": _right("冻结评先/外派学习/推荐干部名单", R.HR),
    # --- 竞聘上岗 (the management channel, SPEC 4) ------------------------------------------------
    # HR (人事劳资, the 组织人事 department) runs a selection from posting to appointment; the
    # leader decides; 纪检监察 and the director read the whole dossier. Every act about one
    # candidate is recused (回避): reviewing, scoring, judging, inspecting, deciding.
    "selections.browse": _right("查看竞聘公告", *ALL_ROLES, reach=Reach.ANYONE),  # rows scoped by the selectors
    "selections.manage": _right("组织竞聘", R.HR),
    "selections.score": _right("办理竞聘资格审查、成绩与考察", R.HR, recuse=True),
    # An employee applies for themselves; HR on someone's behalf (组织推荐).
    "selections.apply": _right("竞聘报名", R.EMPLOYEE, R.HR),
    "selections.read": _right("查看竞聘纪实", R.HR, R.LEADER, R.DIRECTOR, R.DISCIPLINE),
    # Any staff role HR names as a judge (评委) of the selection; the naming itself is checked by
    # the service (selections.Judge), the candidate's own judge stands aside (回避).
    "selections.judge": _right("担任竞聘评委评分", *STAFF, recuse=True),
    "selections.decide": _right("决定竞聘任用人选", R.LEADER, recuse=True, office=True),
    "selections.notice": _right("发布竞聘任前公示", R.HR, recuse=True, office=True),
    # Objections to a 任前公示 are ruled on by the committee, as for every notice (the objection
    # pages and 纪检监察's oversight work unchanged); one place to move it to HR if a bureau wishes.
    "selections.resolve_objections": _right("处理竞聘任前公示异议", R.COMMITTEE, recuse=True, office=True),
    # The SPEC 6 file of a selection's scores, both ways: the import asks its own right over the
    # selection's unit and, per row, about the candidate (回避), as selections.score does on the page.
    "import.selection_scores": _right("导入竞聘成绩", R.HR, recuse=True),
    "export.selection_scores": _right("导出竞聘成绩", R.HR),
}

ACTIONS = tuple(RIGHTS)
STEP_ACTIONS = {
    "track_review": "proposals.decide.track_review",
    "committee": "proposals.decide.committee",
    "leader": "proposals.decide.leader",
    "director": "proposals.decide.director",
}


def import_action(kind: str) -> str:
    return f"import.{kind}"


@dataclass(frozen=True)
class Subject:
    """What an action is about, as the authority needs to know it."""

    unit: OrgUnit | None
    employee_id: int | None = None
    track: str = ""
    # Users who must stand aside (回避) besides the employee concerned: the filer of an objection, …
    parties: frozenset[int] = frozenset()


def subject_of(target) -> Subject:
    if isinstance(target, Subject):
        return target
    if isinstance(target, OrgUnit):
        return Subject(unit=target)
    meta = getattr(target, "_meta", None)
    if meta is not None and meta.label_lower == "people.employee":
        return Subject(unit=target.org_unit, employee_id=target.pk, track=target.track)
    employee = getattr(target, "employee", None)
    if employee is not None:
        return subject_of(employee)
    raise TypeError(f"authority: cannot tell the unit of {target!r}")


def roles_for(action: str) -> frozenset[str]:
    return RIGHTS[action].roles


def reviews_track(user: User, track: str) -> bool:
    return track in REVIEWED_TRACKS.get(user.track or "", frozenset())


def _roles_text(roles: Iterable[str]) -> str:
    return "、".join(Role(r).label for r in Role if r in set(roles))


def explain(user: User | None, action: str, target=None) -> str | None:
    """Why `user` may not do `action` (to `target`), in Chinese; None when they may.

    Without a target only the role is checked: what a list page or an API route asks before the
    rows are scoped.
    """
    right = RIGHTS[action]
    if user is None or not user.is_authenticated:
        return "请先登录"
    if not user.is_active:
        return "账号已停用"
    if not (user.role in right.roles or (user.is_superuser and not right.office)):
        return f"您的角色（{user.get_role_display()}）不能{right.label}，应由{_roles_text(right.roles)}办理"
    if target is None:
        return None
    subject = subject_of(target)
    if right.recuse and _is_party(user, subject):
        return f"回避：您不能{right.label}涉及本人的事项"
    if right.track_bound and not user.is_superuser and not reviews_track(user, subject.track):
        mine = user.track or "未设置"
        return f"您审核的序列是“{mine}”，不能{right.label}{subject.track}的事项"
    return _reach_refusal(user, right, subject)


def _is_party(user: User, subject: Subject) -> bool:
    if subject.employee_id is not None and user.employee_id == subject.employee_id:
        return True
    return user.pk in subject.parties


def _reach_refusal(user: User, right: Right, subject: Subject) -> str | None:
    if right.reach == Reach.ANYONE:
        return None
    if right.reach == Reach.MEMBER:
        if user.employee_id is None:
            return f"只有本单位员工可以{right.label}（您的账号未关联员工）"
        own_unit = user.employee.org_unit
        if subject.unit is None or not subject.unit.contains(own_unit):
            return f"您不是{subject.unit.name if subject.unit else '该单位'}的员工，不能{right.label}"
        return None
    if user.is_superuser:
        return None
    if user.role == Role.EMPLOYEE:
        if subject.employee_id is not None and subject.employee_id == user.employee_id:
            return None
        return f"只能{right.label}本人的事项"
    if subject.unit is None or not can_see_org_unit(user, subject.unit):
        where = subject.unit.path if subject.unit is not None else "该事项"
        return f"“{where}”不在您的管理范围内"
    return None


def allows(user: User | None, action: str, target=None) -> bool:
    return explain(user, action, target) is None


def require(user: User | None, action: str, target=None) -> None:
    """Raise NotPermitted (Chinese message) unless `user` may do `action` to `target`."""
    refusal = explain(user, action, target)
    if refusal is not None:
        raise NotPermitted(refusal)
