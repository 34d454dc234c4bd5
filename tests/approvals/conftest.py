"""A small bureau for the workflow tests: one city with a county below it, a neighbouring city,
one login per role, the default rule books, and a clock the tests set."""

from datetime import date

import pytest

from jinjie.approvals import clock
from jinjie.evaluations.models import Proposal, ProposalKind
from jinjie.org.models import OrgUnit, Role, User
from jinjie.people.models import Employee
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.services import rulebook_load_defaults
from jinjie.rules.ladder import move_between, rank_step


@pytest.fixture
def today(monkeypatch):
    """`today(date(2026, 10, 8))` sets the workflow's clock."""

    def set_today(day: date) -> date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    set_today(date(2026, 10, 8))
    return set_today


@pytest.fixture
def book(db):
    rulebook_load_defaults()
    return RuleBook.objects.get(kind=BookKind.LADDER)


@pytest.fixture
def units(db):
    province = OrgUnit.objects.create(name="东海省局", kind="province")
    city = OrgUnit.objects.create(name="临江市局", parent=province, kind="city")
    county = OrgUnit.objects.create(name="青山县局", parent=city)
    other = OrgUnit.objects.create(name="东江市局", parent=province, kind="city")
    return {"province": province, "city": city, "county": county, "other": other}


@pytest.fixture
def user(units):
    made = {}

    def make(username: str, role: str, unit: str = "city", track: str = "", employee: Employee | None = None) -> User:
        u = User.objects.create(
            username=username, first_name=username, role=role, org_unit=units[unit], track=track, employee=employee
        )
        made[username] = u
        return u

    return make


@pytest.fixture
def staff(user):
    """One login per deciding role, all working in 临江市局 (the city)."""
    return {
        "committee": user("委员甲", Role.COMMITTEE),
        "committee2": user("委员乙", Role.COMMITTEE),
        "leader": user("领导", Role.LEADER),
        "director": user("局长", Role.DIRECTOR),
        "cm_reviewer": user("营销中心", Role.TRACK_REVIEWER, track="客户经理"),
        "ma_reviewer": user("专卖科", Role.TRACK_REVIEWER, track="市场管理员"),
        "discipline": user("纪检", Role.DISCIPLINE),
        "hr": user("人事", Role.HR),
        "other_committee": user("东江委员", Role.COMMITTEE, unit="other"),
    }


_counter = iter(range(1, 100000))


@pytest.fixture
def employee(units):
    def make(name: str = "", rank: str = "初级B", unit: str = "county", track: str = "客户经理", **extra) -> Employee:
        n = next(_counter)
        return Employee.objects.create(
            employee_no=f"E{n:05d}",
            name=name or f"员工{n}",
            org_unit=units[unit],
            track=track,
            role_start_date=extra.pop("role_start_date", date(2019, 3, 1)),
            current_rank=rank,
            rank_since=extra.pop("rank_since", date(2026, 1, 1)),
            **extra,
        )

    return make


@pytest.fixture
def proposal(book):
    """A draft as evaluations/ stores it: `proposal(emp, "初级A")` with the default route of its move."""
    from jinjie.rulebooks.selectors import parsed_rulebook

    parsed = parsed_rulebook(book)

    def make(emp: Employee, to_rank: str, *, route=None, period: str = "2026Q3", **extra) -> Proposal:
        r, to = rank_step(emp.current_rank), rank_step(to_rank)
        move = move_between(r, to)
        return Proposal.objects.create(
            kind=extra.pop("kind", ProposalKind.EVALUATION),
            period=period,
            employee=emp,
            from_rank=emp.current_rank,
            to_rank=to_rank,
            move=move,
            route=list(parsed.route_for(move, to)) if route is None else route,
            rulebook=book,
            **extra,
        )

    return make


@pytest.fixture
def decider(staff):
    """The login that decides a step for an employee (the right role, track and unit)."""

    def pick(step: str, emp: Employee) -> User:
        if step == "track_review":
            return staff["cm_reviewer"] if emp.track == "客户经理" else staff["ma_reviewer"]
        return staff[step]

    return pick


@pytest.fixture
def submitted(staff, proposal):
    """A proposal made and submitted by the committee (in_review at its first step)."""
    from jinjie.approvals.services import proposal_submit

    def make(emp: Employee, to_rank: str, by: str = "committee", **kw) -> Proposal:
        p = proposal(emp, to_rank, **kw)
        proposal_submit(proposals=[p], actor=staff[by])
        p.refresh_from_db()
        return p

    return make


@pytest.fixture
def advance(decider):
    """Approve steps until the proposal waits for its notice or is approved."""
    from jinjie.approvals.services import proposal_decide
    from jinjie.approvals.workflow import current_step

    def run(p: Proposal) -> Proposal:
        p.refresh_from_db()
        while p.state == "in_review" and current_step(p) != "notice":
            step = current_step(p)
            proposal_decide(proposal=p, actor=decider(step, p.employee), decision="approve", comment=f"{step} 同意")
            p.refresh_from_db()
        return p

    return run


@pytest.fixture
def on_notice(today, staff, units, employee, submitted, advance):
    """A level-up into 中级 (committee › leader › notice) published on 2026-09-28 for 7 calendar
    days (2026-09-29 … 2026-10-05), with the employee concerned and two colleagues as logins."""
    from jinjie.approvals.services import notice_publish

    today(date(2026, 9, 28))
    emp = employee("王五", rank="初级A")
    p = advance(submitted(emp, "中级C"))
    notice = notice_publish(org_unit=units["city"], proposals=[p], actor=staff["committee"])
    p.refresh_from_db()
    return p, notice
