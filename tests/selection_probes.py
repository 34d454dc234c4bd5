"""Authority-matrix probes of the 竞聘上岗 rights (SPEC 4), registered into authority_probes.PROBES:
each calls the real service, selector or file as `user` about `target`.

A probe of an act at some stage needs a selection brought to that stage with the target among its
candidates; bringing it there is the same for every user, so it is a scene (authority_probes.scene):
built once per target, kept, and rolled back to after each call. The selection is the target's
city's (甲市局 for an employee inside the users' scope, 乙市局 for one outside), driven by that city's
HR and leader (scene users, none of the users under test); the target is made to meet SPEC 4's
default criteria at its deadline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from authority_probes import World, _scene_hr, http_ok, probe, refused_unless, scene

from jinjie.approvals import clock
from jinjie.approvals.services import objection_file, objection_resolve
from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import OrgUnit, Role, User
from jinjie.people.models import AnnualRating, Employee, RankChange
from jinjie.selections import services as sv
from jinjie.selections.models import Judge
from jinjie.selections.selectors import dossier_selection

DEADLINE = date(2026, 10, 31)  # the matrix's clock stands at 2026-10-09: 报名 is open
AFTER = date(2026, 11, 2)  # a Monday after the deadline: every later act of the scenes


@dataclass(frozen=True)
class Situation:
    """A selection of the target's city at some stage, the target's application, and the day the
    probe acts on (the matrix restores the clock after each call)."""

    selection: int
    code: str
    post: int
    application: int | None = None
    day: date = AFTER
    objection: int | None = None

    def at_day(self) -> None:
        clock.today = lambda: self.day


def _scene_leader(w: World, target: Employee) -> User:
    city = w.city_of(target)
    return User.objects.get_or_create(username=f"scene-leader-{city.pk}", defaults={"role": Role.LEADER, "org_unit": city})[0]


def _fit(target: Employee) -> Employee:
    """The target meets every default criterion at DEADLINE: 中级C, in service since 2018, 本科, 41, 称职 in 2025."""
    Employee.objects.filter(pk=target.pk).update(
        track="客户经理", current_rank="中级C", hire_date=date(2018, 3, 1), birth_date=date(1985, 5, 1), education="本科",
    )
    AnnualRating.objects.get_or_create(employee=target, year=2025, kind="年度考核", defaults={"rating": "称职"})
    # The rank at the deadline is read from the rank history where there is one (the matrix seeds one).
    RankChange.objects.get_or_create(employee=target, effective_date=date(2026, 1, 1),
                                     defaults={"from_rank": "初级B", "to_rank": "中级C"})
    return Employee.objects.get(pk=target.pk)


def _posted(w: World, unit: OrgUnit, by: User) -> Situation:
    selection = sv.selection_create(actor=by, org_unit=unit, title="探测竞聘", deadline=DEADLINE,
                                    posts=[{"title": "客服部主任", "places": 1}])
    sv.selection_publish(selection=selection, actor=by)
    return Situation(selection=selection.pk, code=selection.code, post=selection.posts.get().pk)


def _applied(w: World, target: Employee) -> Situation:
    """报名 open, the target applied (组织推荐 by HR, which any candidate may be)."""
    hr = _scene_hr(w, target)
    posted = _posted(w, w.city_of(target), hr)
    app = sv.application_apply(selection=posted.selection, post=posted.post, employee=_fit(target), actor=hr)
    return Situation(posted.selection, posted.code, posted.post, app.pk)


def _in_review(w: World, target: Employee) -> Situation:
    """报名 closed: the target's application waits for HR's qualification review."""
    s = _applied(w, target)
    clock.today = lambda: AFTER
    sv.applications_close(selection=s.selection, actor=_scene_hr(w, target))
    return s


def _in_written(w: World, target: Employee) -> Situation:
    """The review complete (the target confirmed): 笔试 scores are entered now."""
    s, hr = _in_review(w, target), _scene_hr(w, target)
    sv.application_review(application=s.application, actor=hr, confirm=True)
    sv.stage_complete(selection=s.selection, actor=hr, stage="review")
    return s


def _in_speech(w: World, target: Employee) -> Situation:
    """The target passed the 笔试 (80): the judges score the 演讲答辩 now."""
    s, hr = _in_written(w, target), _scene_hr(w, target)
    sv.scores_enter(selection=s.selection, actor=hr, stage="written", scores={s.application: "80"})
    sv.stage_complete(selection=s.selection, actor=hr, stage="written")
    return s


def _in_inspection(w: World, target: Employee) -> Situation:
    """Every score in (total 80, first of one place): the target inspected, 合格; the leader decides now."""
    s, hr = _in_speech(w, target), _scene_hr(w, target)
    sv.scores_enter(selection=s.selection, actor=hr, stage="speech", scores={s.application: "80"})
    sv.stage_complete(selection=s.selection, actor=hr, stage="speech")
    sv.scores_enter(selection=s.selection, actor=hr, stage="democratic", scores={s.application: "80"})
    sv.stage_complete(selection=s.selection, actor=hr, stage="democratic")
    sv.inspection_start(selection=s.selection, actor=hr)
    sv.inspection_record(selection=s.selection, application=s.application, actor=hr, inspectors="组织部 张、李",
                         date=AFTER, findings="群众公认度高", conclusion="合格")
    return s


def _decided(w: World, target: Employee) -> Situation:
    """The leader appointed the target: HR publishes the 任前公示 now."""
    s = _in_inspection(w, target)
    sv.selection_decide(selection=s.selection, actor=_scene_leader(w, target))
    return s


def _objected(w: World, target: Employee) -> Situation:
    """On the 任前公示, an employee of the target's unit (none of the users under test) objected."""
    s = _decided(w, target)
    notice = sv.selection_notice(selection=s.selection, actor=_scene_hr(w, target))
    clock.today = lambda: notice.start_date
    other = Employee.objects.create(org_unit=target.org_unit, employee_no=f"J{target.pk}", name="提出人", track="客户经理",
                                    role_start_date=date(2020, 1, 1))
    filer = User.objects.create_user(username=f"objector-{target.pk}", role=Role.EMPLOYEE, employee=other,
                                     org_unit=target.org_unit)
    item = notice.items.get()
    objection = objection_file(notice_item=item, filer=filer, text="群众反映工作作风问题")
    return Situation(s.selection, s.code, s.post, s.application, day=notice.start_date, objection=objection.pk)


def _root_posting(w: World, target: Employee) -> Situation:
    """A published posting of the 省公司: a posting of a unit above one's own is everyone's to read."""
    root = w.units["province"]
    hr = User.objects.get_or_create(username=f"scene-hr-{root.pk}", defaults={"role": Role.HR, "org_unit": root})[0]
    return _posted(w, root, hr)


def _own_city_posting(w: World, target: Employee) -> Situation:
    """报名 open at the target's city, the target meeting the criteria."""
    _fit(target)
    return _posted(w, w.city_of(target), _scene_hr(w, target))


# --- the probes ----------------------------------------------------------------------------------


@probe("selections.browse")
@scene(_root_posting)
def _browse(w: World, user: User, target: Employee, s: Situation) -> None:
    response = w.web(user).get(f"/selections/{s.selection}/posting/")
    http_ok(response)
    refused_unless(s.code in response.content.decode(), "posting not shown")


@probe("selections.manage")
def _manage(w: World, user: User, target: Employee) -> None:
    sv.selection_create(actor=user, org_unit=target.org_unit, title="探测竞聘", deadline=DEADLINE,
                        posts=[{"title": "客服部主任", "places": 1}])


@probe("selections.apply")
@scene(_own_city_posting)
def _apply(w: World, user: User, target: Employee, s: Situation) -> None:
    sv.application_apply(selection=s.selection, post=s.post, employee=target.pk, actor=user)


@probe("selections.read")
@scene(_own_city_posting)
def _read(w: World, user: User, target: Employee, s: Situation) -> None:
    refused_unless(dossier_selection(user, s.selection) is not None, "dossier hidden")


@probe("selections.score")
@scene(_in_review)
def _score(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    sv.application_review(application=s.application, actor=user, confirm=True)


@probe("selections.judge")
@scene(_in_speech)
def _judge(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    # Named directly, whoever the user is: the probe asks whether judging itself is refused.
    Judge.objects.create(selection_id=s.selection, user=user, named_by=_scene_hr(w, target))
    sv.judge_marks(selection=s.selection, judge=user, marks={s.application: "85"})


@probe("selections.decide")
@scene(_in_inspection)
def _decide(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    sv.selection_decide(selection=s.selection, actor=user)


@probe("selections.notice")
@scene(_decided)
def _notice(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    sv.selection_notice(selection=s.selection, actor=user)


@probe("selections.resolve_objections")
@scene(_objected)
def _resolve(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    objection_resolve(objection=s.objection, actor=user, upheld=False, reason="经核实，反映问题不属实")


SCOPE_REASONS = ("不在您的管理范围内", "回避")


@probe("import.selection_scores")
@scene(_in_written)
def _import(w: World, user: User, target: Employee, s: Situation) -> None:
    s.at_day()
    rows = f"竞聘编号,工号,笔试\n{s.code},{target.employee_no},80\n"
    result = import_file(kind="selection_scores", path_or_fileobj=io.BytesIO(rows.encode()), filename="probe.csv",
                         actor=user, dry_run=True)
    reasons = [e.reason for e in result.errors]
    refused_unless(not any(any(mark in r for mark in SCOPE_REASONS) for r in reasons), "; ".join(reasons))
    assert result.ok, reasons  # the row is otherwise valid: any other error is the probe's fault
    assert result.created == 1, result.created


@probe("export.selection_scores")
@scene(_in_review)
def _export(w: World, user: User, target: Employee, s: Situation) -> None:
    out = io.BytesIO()
    export_kind(kind="selection_scores", path=out, fmt="csv", actor=user)
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    refused_unless(any(line.startswith(f"{s.code},{target.employee_no},") for line in lines), "not exported")

