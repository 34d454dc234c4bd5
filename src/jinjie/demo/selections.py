"""The demo's 竞聘上岗 (SPEC 4): one selection carried from posting to appointment during the demo's
quarter, and one open for applications today — both through the channel's own services, so the
dossier, the notice, the post records and the evaluation's "管理岗, 不参加测评" are the real thing.

The finished selection is replayed on its own dates: the workflow's clock (approvals.clock) reads
each step's day while the step runs, then apply-due runs on the day after the 任前公示. Five staff
logins judge (weiyuanhui, juzhang, yingxiao, zhuanmai, kaoping), HR runs it, the leader decides.
The candidates are the generator's 竞聘 stories (demo.generate.SELECTION_STORIES): the same
people whatever the size of the bureau, so the demo writes the same rows whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from jinjie.approvals import clock
from jinjie.approvals.services import apply_due
from jinjie.core.errors import DomainError
from jinjie.org.models import OrgUnit, User
from jinjie.people.models import Employee
from jinjie.selections import services as sv
from jinjie.selections.eligibility import check_employees
from jinjie.selections.models import Selection
from jinjie.selections.scoring import scoreboard

from .bureau import CITY, EMPLOYEE_NO_PREFIX
from .generate import MONOPOLY_PEERS, SELECTION_STORIES, Plan

JUDGES = ("weiyuanhui", "juzhang", "yingxiao", "zhuanmai", "kaoping")
# The generator's stories in order: the eight worked examples, the 专卖管理员 yuangong3, the 跳级 case,
# yuangong3's colleagues, then the 竞聘 candidates (demo.generate's case list).
FIRST_STORY_NUMBER = 8 + 1 + 1 + MONOPOLY_PEERS + 1
# Per candidate of the finished selection: post, 笔试, the five judges' marks, ballots (优秀/称职/基本称职/不称职).
SHEETS = (
    ("客服部主任", "86.5", ("90", "88", "92", "85", "94"), (22, 9, 1, 0)),
    ("客服部主任", "82", ("86", "84", "87", "80", "88"), (15, 14, 3, 0)),
    ("客服部主任", "78.5", ("82", "85", "80", "79", "83"), (12, 15, 5, 0)),
    ("客服部主任", "57", (), ()),
    ("订单部主任", "84", ("87", "86", "89", "84", "90"), (18, 12, 2, 0)),
    ("订单部主任", "80", ("83", "81", "85", "80", "82"), (10, 17, 4, 1)),
)


@contextmanager
def _on(day: date) -> Iterator[None]:
    """Run the services as on `day` (the demo replays a selection that took place earlier)."""
    saved = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = saved


def _people() -> dict[str, Employee]:
    numbers = {f"{EMPLOYEE_NO_PREFIX}{FIRST_STORY_NUMBER + i:06d}": story for i, story in enumerate(SELECTION_STORIES)}
    return {numbers[e.employee_no]: e for e in Employee.objects.filter(employee_no__in=numbers).select_related("org_unit")}


def demo_selections(*, plan: Plan) -> None:
    """Write the two selections of the demo (called by demo_create inside its transaction)."""
    city = OrgUnit.objects.get(name=CITY, parent__parent=None)
    users = {u.username: u for u in User.objects.filter(username__in=("hr", "lingdao", *JUDGES))}
    people = _people()
    _finished(plan, city, users, people)
    _open(plan, city, users, people)


def _finished(plan: Plan, city: OrgUnit, users: dict[str, User], people: dict[str, Employee]) -> Selection | None:
    hr, leader = users["hr"], users["lingdao"]
    base = plan.period.start  # the demo's quarter: the appointees hold their posts at its end
    day = lambda n: base + timedelta(days=n)  # noqa: E731
    with _on(day(3)):
        selection = sv.selection_create(
            actor=hr, org_unit=city, title=f"{base.year}年中层管理岗位竞聘上岗（第一批）", deadline=day(16),
            description="根据工作需要，按照公开、平等、竞争、择优的原则，面向全局选拔中层管理人员。",
            posts=[{"title": "客服部主任", "places": 1, "duties": "负责客户服务中心全面工作"},
                   {"title": "订单部主任", "places": 1, "duties": "负责订单受理与供货组织"}],
        )
        sv.selection_publish(selection=selection, actor=hr)
        posts = {p.title: p for p in selection.posts.all()}
        for username in JUDGES:
            sv.judge_name(selection=selection, actor=hr, user=users[username])
        stories = [s for s in SELECTION_STORIES[:6] if s in people]
        eligible = check_employees(selection, [people[s].pk for s in stories])
        apps = {}
        for story, sheet in zip(stories, SHEETS, strict=False):
            employee = people[story]
            if eligible[employee.pk].passed:
                apps[story] = (sv.application_apply(selection=selection, post=posts[sheet[0]], employee=employee, actor=hr), sheet)
    if not apps:
        return selection
    with _on(day(17)):
        sv.applications_close(selection=selection, actor=hr)
        for app, _ in apps.values():
            sv.application_review(application=app, actor=hr, confirm=True, reason="符合报名条件")
        sv.stage_complete(selection=selection, actor=hr, stage="review")
    with _on(day(21)):
        sv.scores_enter(selection=selection, actor=hr, stage="written", scores={a.pk: s[1] for a, s in apps.values()})
        sv.stage_complete(selection=selection, actor=hr, stage="written")
    with _on(day(24)):
        for i, username in enumerate(JUDGES):
            marks = {a.pk: s[2][i] for a, s in apps.values() if s[2]}
            if marks:
                sv.judge_marks(selection=selection, judge=users[username], marks=marks)
        sv.stage_complete(selection=selection, actor=hr, stage="speech")
    with _on(day(27)):
        sv.ballots_enter(selection=selection, actor=hr, ballots={a.pk: s[3] for a, s in apps.values() if s[3]})
        sv.stage_complete(selection=selection, actor=hr, stage="democratic")
        sv.inspection_start(selection=selection, actor=hr)
    board_apps = {a.pk for a, _ in apps.values()}
    with _on(day(34)):
        for standing in scoreboard(selection).standings:
            if standing.inspect and standing.key in board_apps:
                sv.inspection_record(
                    selection=selection, application=standing.key, actor=hr, inspectors="组织人事科 李娟、纪检监察室 何文静",
                    date=day(33), findings="政治素质好，业务熟练，群众公认度高，近三年考核均为称职以上。", conclusion="合格",
                )
    with _on(day(38)):
        sv.selection_decide(selection=selection, actor=leader)
    try:
        with _on(day(39)):
            notice = sv.selection_notice(selection=selection, actor=hr)
    except DomainError:
        return selection  # the holiday calendar does not cover the year: left decided, to be published
    apply_due(today=notice.end_date + timedelta(days=1))
    return selection


def _open(plan: Plan, city: OrgUnit, users: dict[str, User], people: dict[str, Employee]) -> Selection:
    hr = users["hr"]
    today = plan.today
    # Within the year: the criteria read the 年度考核 of the deadline's year − 1.
    deadline = min(today + timedelta(days=14), date(today.year, 12, 31))
    with _on(today - timedelta(days=3)):
        selection = sv.selection_create(
            actor=hr, org_unit=city, title=f"{today.year}年中层管理岗位竞聘上岗（第二批）", deadline=deadline,
            description="面向全局公开竞聘物流部主任、专卖稽查中队长。请符合条件的同志在截止日前报名。",
            posts=[{"title": "物流部主任", "places": 1, "duties": "负责仓储配送全面工作"},
                   {"title": "稽查中队长", "places": 2, "duties": "负责市场稽查与案件查办"}],
        )
        sv.selection_publish(selection=selection, actor=hr)
        for username in JUDGES:
            sv.judge_name(selection=selection, actor=hr, user=users[username])
        posts = list(selection.posts.all())
        # Two of the first batch's candidates apply again; the login yuangong6 has not applied yet.
        for story, post in zip(("selection_4", "selection_6"), posts, strict=True):
            employee = people.get(story)
            if employee is None:
                continue
            try:
                sv.application_apply(selection=selection, post=post, employee=employee, actor=hr)
            except DomainError:
                continue  # not eligible by the generated records: simply not among the applicants
    return selection
