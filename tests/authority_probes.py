"""Probes for the authority matrix (tests/org/test_authority_matrix.py): one per right of
org.authority.RIGHTS, each calling the real service (or, for a read, the real selector or
endpoint) as `user` about `target`, and saying whether it was let through.

A probe returns normally when the action was let through (it may still have been refused for
something else than who the user is — that is not the authority's business) and raises Refused
when the user was refused: NotPermitted from a service, 403/404 from an endpoint, a row error that
says the row is outside the user's scope or about themself.

A channel adds its rights to org/authority.py and its probes here (or in a module of its own that
registers into PROBES), so that the matrix covers every right.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.test import Client
from rest_framework.test import APIClient

from jinjie.approvals import clock
from jinjie.approvals.models import Objection
from jinjie.approvals.selectors import objections_for
from jinjie.approvals.services import (
    immediate_demotion,
    notice_publish,
    objection_file,
    objection_resolve,
    proposal_decide,
    proposal_submit,
)
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Move, Proposal, ProposalKind, ProposalState
from jinjie.evaluations.services import evaluation_run
from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import OrgUnit, Role, User
from jinjie.org.services import user_reset_password
from jinjie.people.models import Employee, Violation
from jinjie.people.services import employee_reveal_id_number
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import rulebook_in_force
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.calendar import Period
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

Q3 = Period.parse("2026Q3")


class Refused(Exception):
    pass


Probe = Callable[["World", User, Employee], None]
PROBES: dict[str, Probe] = {}
# The track a probe gives its target, where it changes it (a 专卖管理员's application …); a
# track-bound right is the reviewer's only for the tracks they review.
PROBE_TRACKS: dict[str, str] = {"applications.review": "专卖管理员"}


def probe(*actions: str):
    def register(function: Probe) -> Probe:
        for action in actions:
            PROBES[action] = function
        return function

    return register


Scene = Callable[["World", Employee], object]


def scene(build: Scene):
    """A probe whose situation is the same for every user (a selection brought to some stage with
    the target among its candidates …): `build(w, target)` runs once per target, before the
    savepoint every call runs in (World.prepare), and the probe gets what it returned as a fourth
    argument. Whatever a call writes is rolled back; the scene stays for the next user."""

    def wrap(function: Callable[[World, User, Employee, object], None]) -> Probe:
        def run(w: World, user: User, target: Employee) -> None:
            function(w, user, target, w.scene(build, target))

        run.scene = build  # type: ignore[attr-defined]
        run.__name__ = function.__name__
        return run

    return wrap


def refused_unless(ok: bool, why: str = "") -> None:
    if not ok:
        raise Refused(why)


def http_ok(response) -> None:
    if response.status_code in (401, 403, 404):
        raise Refused(response.status_code)
    assert response.status_code < 400, response.status_code


class World:
    """The bureau the probes run in: set up by the matrix test's fixture."""

    def __init__(self, *, units: dict[str, OrgUnit], inside: Employee, outside: Employee):
        self.units = units
        self.inside = inside
        self.outside = outside
        self._scenes: dict[tuple[Scene, int], object] = {}

    def prepare(self, action: str, target: Employee) -> None:
        """Build the scene of `action`'s probe about `target` if it has one and it is not built yet.
        Called outside the probe's savepoint (a scene built inside it would be rolled back)."""
        build = getattr(PROBES[action], "scene", None)
        if build is None or (build, target.pk) in self._scenes:
            return
        today = clock.today
        try:
            self._scenes[(build, target.pk)] = build(self, target)
        finally:
            clock.today = today

    def scene(self, build: Scene, target: Employee) -> object:
        try:
            return self._scenes[(build, target.pk)]
        except KeyError:
            raise AssertionError(f"scene {build.__name__} of {target} not prepared: call World.prepare first") from None

    def committee_for(self, target: Employee) -> User:
        """A committee member of the target's city, to set scenes up (publish a notice …)."""
        city = self.city_of(target)
        return User.objects.get_or_create(
            username=f"scene-committee-{city.pk}", defaults={"role": Role.COMMITTEE, "org_unit": city}
        )[0]

    def web(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def city_of(self, employee: Employee) -> OrgUnit:
        unit = employee.org_unit
        while unit.kind != "city" and unit.parent_id is not None:
            unit = unit.parent
        return unit


def _proposal(target: Employee, route: list[str], state=ProposalState.IN_REVIEW, **extra) -> Proposal:
    values = {
        "kind": ProposalKind.EVALUATION, "period": str(Q3), "employee": target, "from_rank": target.current_rank,
        "to_rank": "初级A", "move": Move.GRADE_UP, "route": route, "state": state, "step_index": 0,
        "rulebook": rulebook_in_force(kind=BookKind.LADDER, on=Q3.start),
    }
    values.update(extra)
    return Proposal.objects.create(**values)


# --- master data -------------------------------------------------------------------------------


@probe("users.manage")
def _users_manage(w: World, user: User, target: Employee) -> None:
    login = User.objects.filter(employee=target).first() or User.objects.create_user(
        username=f"login-{target.employee_no}", role=Role.EMPLOYEE, employee=target, org_unit=target.org_unit
    )
    try:
        user_reset_password(actor=user, user=login)
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("employees.read")
def _employees_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.api(user).get(f"/api/employees/{target.pk}/"))


@probe("employees.list")
def _employees_list(w: World, user: User, target: Employee) -> None:
    response = w.web(user).get("/employees/", {"q": target.employee_no})
    http_ok(response)
    refused_unless(f"/employees/{target.pk}/" in response.content.decode(), "not listed")


@probe("employees.reveal_id")
def _reveal(w: World, user: User, target: Employee) -> None:
    try:
        employee_reveal_id_number(user=user, employee=target)
    except NotPermitted as e:
        raise Refused(str(e)) from None


def _rows(kind: str, target: Employee) -> str:
    no, unit = target.employee_no, target.org_unit.path
    return {
        "employees": f"工号,姓名,所属单位,岗位序列,本岗位起始日期\n{no},{target.name},{unit},{target.track},2024-01-15\n",
        "scores": f"工号,月份,考核得分\n{no},2026-10,88\n",
        "training": f"工号,日期,类别,课程\n{no},2026-06-01,培训,营销实务\n",
        "ability": f"工号,测评期,得分\n{no},2026Q3,80\n",
        "violations": f"工号,日期,情节,说明\n{no},2026-08-01,一般,迟到\n",
        "contributions": f"工号,日期,说明\n{no},2026-08-01,拾金不昧\n",
        "annual": f"工号,年度,类别,等次\n{no},2025,年度考核,称职\n",
        "publications": f"工号,日期,题目,刊物级别,署名\n{no},2026-05-01,论卷烟营销,省级,独著\n",
        "qualifications": f"工号,等级,取得日期\n{no},初级专卖管理员,2025-01-01\n",
        "rank_history": f"工号,生效日期,原职级,新职级\n{no},2025-01-01,初级C,初级B\n",
        "org_units": f"单位路径,类型\n{unit}/新设部门,部门\n",
    }[kind]


SCOPE_REASONS = ("不在您的管理范围内", "回避")


def _import_probe(kind: str) -> Probe:
    def run(w: World, user: User, target: Employee) -> None:
        try:
            result = import_file(kind=kind, path_or_fileobj=io.BytesIO(_rows(kind, target).encode()), filename="probe.csv",
                                 actor=user, dry_run=True)
        except NotPermitted as e:
            raise Refused(str(e)) from None
        reasons = [e.reason for e in result.errors]
        refused_unless(not any(r for r in reasons if any(s in r for s in SCOPE_REASONS)), "; ".join(reasons))
        assert result.ok, reasons  # a probe row is otherwise valid: any other error is the probe's fault

    return run


def _export_probe(kind: str) -> Probe:
    def run(w: World, user: User, target: Employee) -> None:
        out = io.BytesIO()
        try:
            export_kind(kind=kind, path=out, fmt="csv", actor=user)
        except NotPermitted as e:
            raise Refused(str(e)) from None
        marker = target.org_unit.path if kind == "org_units" else target.employee_no
        refused_unless(marker in out.getvalue().decode("utf-8-sig"), "not exported")

    return run


def _seed_records(target: Employee) -> None:
    """One stored record of every kind about the target, for the export probes."""
    from jinjie.assessments.models import AbilityScore, MonthlyScore
    from jinjie.people.models import (
        AnnualRating,
        Contribution,
        Publication,
        Qualification,
        RankChange,
        TrainingRecord,
    )

    MonthlyScore.objects.get_or_create(employee=target, month="2026-09", defaults={"score": Decimal("88")})
    AbilityScore.objects.get_or_create(employee=target, period="2026Q3", defaults={"score": Decimal("80")})
    TrainingRecord.objects.get_or_create(employee=target, date=date(2026, 6, 1), kind="培训", course="营销", level="")
    Violation.objects.get_or_create(employee=target, date=date(2026, 8, 2), description="迟到", defaults={"severity": "一般"})
    Contribution.objects.get_or_create(employee=target, date=date(2026, 8, 2), description="拾金不昧")
    AnnualRating.objects.get_or_create(employee=target, year=2025, kind="年度考核", defaults={"rating": "称职"})
    Publication.objects.get_or_create(
        employee=target, title="论营销", defaults={"date": date(2026, 5, 1), "journal_level": "省级", "author_role": "独著"}
    )
    Qualification.objects.get_or_create(employee=target, level="初级专卖管理员", defaults={"granted_date": date(2025, 1, 1)})
    if not RankChange.objects.filter(employee=target).exists():
        RankChange.objects.create(employee=target, effective_date=date(2025, 1, 1), from_rank="初级C", to_rank="初级B")


KINDS = ("employees", "scores", "training", "ability", "violations", "contributions", "annual", "publications",
         "qualifications", "rank_history", "org_units")
for _kind in KINDS:
    PROBES[f"import.{_kind}"] = _import_probe(_kind)
    PROBES[f"export.{_kind}"] = _export_probe(_kind)


# --- standards ---------------------------------------------------------------------------------


@probe("rulebooks.read")
def _rulebooks_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.web(user).get("/rulebooks/"))


@probe("rulebooks.edit")
def _rulebooks_edit(w: World, user: User, target: Employee) -> None:
    try:
        rulebook_create_draft(kind=BookKind.LADDER, document=DEFAULT_LADDER_BOOK, effective_from=date(2030, 1, 1),
                              actor=user, org_unit=w.city_of(target))
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("rulebooks.publish")
def _rulebooks_publish(w: World, user: User, target: Employee) -> None:
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=DEFAULT_LADDER_BOOK, effective_from=date(2030, 1, 1),
                                  org_unit=w.city_of(target))
    try:
        rulebook_publish(book=draft, actor=user)
    except NotPermitted as e:
        raise Refused(str(e)) from None


# --- the quarterly evaluation and its workflow -------------------------------------------------


@probe("evaluations.run")
def _evaluations_run(w: World, user: User, target: Employee) -> None:
    try:
        evaluation_run(period=Q3, org_unit=target.org_unit, actor=user)
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("proposals.list")
def _proposals_list(w: World, user: User, target: Employee) -> None:
    p = _proposal(target, ["committee"], state=ProposalState.DRAFT)
    response = w.web(user).get("/proposals/", {"period": str(Q3), "q": target.employee_no})
    http_ok(response)
    refused_unless(f"/proposals/{p.pk}/" in response.content.decode(), "not listed")


@probe("proposals.read")
def _proposals_read(w: World, user: User, target: Employee) -> None:
    p = _proposal(target, ["committee"], state=ProposalState.DRAFT)
    http_ok(w.api(user).get(f"/api/proposals/{p.pk}/"))


@probe("proposals.submit")
def _proposals_submit(w: World, user: User, target: Employee) -> None:
    p = _proposal(target, ["committee"], state=ProposalState.DRAFT)
    try:
        proposal_submit(proposals=[p], actor=user)
    except NotPermitted as e:
        raise Refused(str(e)) from None
    except Exception as e:  # a batch refusal names the reason per item
        if "不能" in str(e) or "范围" in str(e) or "回避" in str(e):
            raise Refused(str(e)) from None
        raise


def _decide_probe(step: str) -> Probe:
    def run(w: World, user: User, target: Employee) -> None:
        p = _proposal(target, [step])
        try:
            proposal_decide(proposal=p, actor=user, decision="approve", comment="同意")
        except NotPermitted as e:
            raise Refused(str(e)) from None

    return run


for _step in ("track_review", "committee", "leader", "director"):
    PROBES[f"proposals.decide.{_step}"] = _decide_probe(_step)


@probe("notices.publish")
def _notices_publish(w: World, user: User, target: Employee) -> None:
    p = _proposal(target, ["notice"])
    try:
        notice_publish(org_unit=target.org_unit, proposals=[p], actor=user, days=7, day_kind="calendar")
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("notices.read")
def _notices_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.api(user).get("/api/notices/"))


def _published(w: World, target: Employee):
    """A proposal of `target` on a running notice of the target's city, the clock inside it."""
    p = _proposal(target, ["notice"])
    notice = notice_publish(
        org_unit=w.city_of(target), proposals=[p], actor=w.committee_for(target), days=7, day_kind="calendar"
    )
    clock.today = lambda: notice.start_date  # the matrix fixture restores the clock
    return p, p.notice_item


@probe("objections.file")
def _objections_file(w: World, user: User, target: Employee) -> None:
    _, item = _published(w, target)
    try:
        objection_file(notice_item=item, filer=user, text="公示对象近期有违规")
    except NotPermitted as e:
        raise Refused(str(e)) from None


def _an_objection(w: World, target: Employee) -> Objection:
    p, item = _published(w, target)
    # A filer of the target's unit who is none of the users under test.
    other = Employee.objects.create(org_unit=target.org_unit, employee_no=f"F{target.pk}", name="提出人",
                                    track="客户经理", role_start_date=date(2020, 1, 1))
    filer = User.objects.create_user(username=f"filer-{target.pk}", role=Role.EMPLOYEE, employee=other,
                                     org_unit=target.org_unit)
    return objection_file(notice_item=item, filer=filer, text="有异议")


@probe("objections.read")
def _objections_read(w: World, user: User, target: Employee) -> None:
    objection = _an_objection(w, target)
    refused_unless(bool(objections_for(user=user, objection=objection.pk)), "not readable")


@probe("objections.read_filer")
def _objections_read_filer(w: World, user: User, target: Employee) -> None:
    objection = _an_objection(w, target)
    seen = objections_for(user=user, objection=objection.pk)
    refused_unless(bool(seen) and seen[0].filer_visible, "filer hidden")


@probe("objections.resolve")
def _objections_resolve(w: World, user: User, target: Employee) -> None:
    objection = _an_objection(w, target)
    try:
        objection_resolve(objection=objection.pk, actor=user, upheld=False, reason="经核实，异议不成立")
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("demotions.immediate")
def _demotions(w: World, user: User, target: Employee) -> None:
    violation = Violation.objects.create(employee=target, date=date(2026, 10, 8), severity="较重", description="探测")
    try:
        immediate_demotion(employee=target, violation=violation, to_level="grade", actor=user, comment="")
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("reassignments.read")
def _reassignments_read(w: World, user: User, target: Employee) -> None:
    _proposal(target, ["committee"], to_rank="见习", move=Move.LEVEL_DOWN, reassign=True)
    response = w.api(user).get("/api/reassignment-cases/")
    http_ok(response)
    refused_unless(target.employee_no in str(response.content, "utf-8"), "not listed")


@probe("career.read")
def _career_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.web(user).get("/me/"))


# --- 申报 (applications, SPEC 3.1) ---------------------------------------------------------------


def _scene_hr(w: World, target: Employee) -> User:
    city = w.city_of(target)
    return User.objects.get_or_create(username=f"scene-hr-{city.pk}", defaults={"role": Role.HR, "org_unit": city})[0]


def _monopoly_admin(target: Employee) -> Employee:
    """The target as a 专卖管理员 at 初级, meeting 中级's automatic conditions (see the applications tests)."""
    from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

    Employee.objects.filter(pk=target.pk).update(
        track="专卖管理员", current_rank="初级专卖管理员", education="大专", pay_grade=8,
        role_start_date=date(2018, 1, 1), law_cert_valid_until=date(2030, 1, 1),
    )
    Qualification.history.filter(employee=target).exists() or Qualification.objects.create(
        employee=target, level="初级专卖管理员", granted_date=date(2020, 1, 1)
    )
    TrainingRecord.objects.get_or_create(employee=target, date=date(2026, 3, 1), kind="等级考试", course="",
                                         level="中级专卖管理员", defaults={"passed": True})
    AnnualRating.objects.get_or_create(employee=target, year=2025, kind="专卖双能", defaults={"rating": "良好"})
    target.refresh_from_db()
    return target


def _open_round(w: World, target: Employee):
    from jinjie.applications.services import round_open

    return round_open(actor=_scene_hr(w, target), title="探测批次", org_unit=w.city_of(target),
                      levels=["中级专卖管理员"], opens=date(2026, 10, 1), closes=date(2026, 10, 31))


def _applied(w: World, target: Employee):
    from jinjie.applications.services import application_apply

    person = _monopoly_admin(target)
    r = _open_round(w, target)
    return r, application_apply(actor=_scene_hr(w, target), round=r, employee=person)


@probe("rounds.manage")
def _rounds_manage(w: World, user: User, target: Employee) -> None:
    from jinjie.applications.services import round_open

    try:
        round_open(actor=user, title="探测批次", org_unit=target.org_unit, levels=["中级专卖管理员"],
                   opens=date(2026, 10, 1), closes=date(2026, 10, 31))
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("rounds.read")
def _rounds_read(w: World, user: User, target: Employee) -> None:
    r = _open_round(w, target)
    # A round opened for the target's own unit: read from inside the user's subtree or not at all.
    from jinjie.applications.models import ApplicationRound

    ApplicationRound.objects.filter(pk=r.pk).update(org_unit=target.org_unit)
    http_ok(w.web(user).get(f"/application-rounds/{r.pk}/"))


@probe("applications.apply")
def _applications_apply(w: World, user: User, target: Employee) -> None:
    from jinjie.applications.services import application_apply

    person = _monopoly_admin(target)
    r = _open_round(w, target)
    try:
        application_apply(actor=user, round=r, employee=person)
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("applications.withdraw")
def _applications_withdraw(w: World, user: User, target: Employee) -> None:
    from jinjie.applications.services import application_withdraw

    _, application = _applied(w, target)
    try:
        application_withdraw(actor=user, application=application)
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("applications.read")
def _applications_read(w: World, user: User, target: Employee) -> None:
    _, application = _applied(w, target)
    http_ok(w.api(user).get(f"/api/applications/{application.pk}/"))


@probe("applications.review")
def _applications_review(w: World, user: User, target: Employee) -> None:
    from jinjie.applications.services import application_review, round_close

    r, application = _applied(w, target)
    clock.today = lambda: date(2026, 11, 1)
    round_close(actor=_scene_hr(w, target), round=r)
    application.refresh_from_db()
    assert application.state == "checked", application.state  # the probe's applicant qualifies
    items = {m["code"]: True for m in application.manual_items}
    try:
        application_review(actor=user, application=application, items=items, comment="")
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("applications.export")
def _applications_export(w: World, user: User, target: Employee) -> None:
    from jinjie.interchange.applications_export import export_applications

    r, _ = _applied(w, target)
    out = io.BytesIO()
    try:
        export_applications(round=r, path=out, fmt="csv", actor=user)
    except NotPermitted as e:
        raise Refused(str(e)) from None
    refused_unless(target.employee_no in out.getvalue().decode("utf-8-sig"), "not exported")


@probe("qualifications.correct")
def _qualifications_correct(w: World, user: User, target: Employee) -> None:
    from jinjie.people.models import Qualification
    from jinjie.people.services import qualification_correct

    granted = Qualification.objects.filter(employee=target).first() or Qualification.objects.create(
        employee=target, level="初级专卖管理员", granted_date=date(2020, 1, 1)
    )
    try:
        qualification_correct(actor=user, qualification=granted, granted_date=date(2020, 2, 1), reason="录入错误")
    except NotPermitted as e:
        raise Refused(str(e)) from None


# --- 统计分析 (reports, SPEC 9) --------------------------------------------------------------------


@probe("reports.read")
def _reports_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.api(user).get("/api/reports/distribution/", {"org": target.org_unit.path}))


@probe("reports.whatif")
def _reports_whatif(w: World, user: User, target: Employee) -> None:
    from jinjie.reports.whatif import whatif_run

    draft = rulebook_create_draft(kind=BookKind.LADDER, document=DEFAULT_LADDER_BOOK, effective_from=date(2030, 1, 1),
                                  org_unit=w.city_of(target))
    try:
        whatif_run(book=draft, period=Q3, org_unit=target.org_unit, actor=user)
    except NotPermitted as e:
        raise Refused(str(e)) from None


# --- the quarter's paperwork ---------------------------------------------------------------------


@probe("meetings.record")
def _meetings_record(w: World, user: User, target: Employee) -> None:
    from jinjie.approvals.meetings import MeetingRecord

    p = _proposal(target, ["committee", "leader"])
    try:
        proposal_decide(proposal=p, actor=user, decision="approve", comment="同意",
                        meeting=MeetingRecord(date(2026, 10, 9), "张三、李四、王五", "KP-2026-09"))
    except NotPermitted as e:
        raise Refused(str(e)) from None


@probe("proposals.print_form")
def _print_form(w: World, user: User, target: Employee) -> None:
    p = _proposal(target, ["committee", "leader"])
    http_ok(w.web(user).get(f"/proposals/{p.pk}/form.pdf"))


@probe("proposals.export")
def _proposals_export(w: World, user: User, target: Employee) -> None:
    from openpyxl import load_workbook

    _proposal(target, ["committee"], state=ProposalState.DRAFT)
    response = w.web(user).get("/proposals/export/", {"period": str(Q3)})
    http_ok(response)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    refused_unless(any(row[0] == target.employee_no for row in sheet.iter_rows(values_only=True)), "not exported")


@probe("objections.read_proposals")
def _objections_read_proposals(w: World, user: User, target: Employee) -> None:
    from jinjie.approvals.readers import proposals_with_readable_objections

    objection = _an_objection(w, target)
    refused_unless(proposals_with_readable_objections(user=user).filter(pk=objection.proposal_id).exists(), "hidden")


@probe("reassignments.close")
def _reassignments_close(w: World, user: User, target: Employee) -> None:
    from jinjie.approvals.services.reassignment import reassignment_close

    p = _proposal(target, ["committee"], state=ProposalState.APPLIED, to_rank="见习", move=Move.LEVEL_DOWN,
                  reassign=True, effective_date=date(2026, 10, 1))
    try:
        reassignment_close(proposal=p, actor=user, outcome="other", decided_on=date(2026, 10, 8), comment="调岗")
    except NotPermitted as e:
        raise Refused(str(e)) from None
# The channels' own probes register into PROBES when their module is imported.
import development_probes  # noqa: E402,F401 - career development (SPEC 5, 2.6)
import selection_probes  # noqa: E402,F401 - 竞聘上岗 (SPEC 4)
