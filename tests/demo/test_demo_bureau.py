"""`jinjie demo`: a fictional bureau whose data is valid, consistent, and gives every outcome of SPEC 2.3."""

from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.demo.bureau import CITY, COUNTIES, DEMO_PASSWORD, PROVINCE
from jinjie.demo.generate import SCHEMES
from jinjie.demo.services import DemoError, demo_create
from jinjie.evaluations.facts import load_ladder_facts
from jinjie.org.models import OrgKind, OrgUnit, Role, User
from jinjie.people.idcard import id_number_error
from jinjie.people.models import (
    AnnualRating,
    Contribution,
    Employee,
    Publication,
    Qualification,
    RankChange,
    TrainingRecord,
    Violation,
)
from jinjie.rules import (
    DEFAULT_LADDER_BOOK,
    DEFAULT_MONOPOLY_BOOK,
    Period,
    parse_ladder_book,
    parse_monopoly_book,
)
from jinjie.rules.evaluate import MonopolyFacts, check_monopoly, evaluate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)
PERIOD = Period(2026, 3)
ALL_TABLES = (OrgUnit, User, Employee, MonthlyScore, AbilityScore, TrainingRecord, Violation, Contribution,
              AnnualRating, Publication, Qualification, RankChange)


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def small_demo():
    return run_demo("--employees", "60", "--seed", "7")


def table_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in ALL_TABLES}


def test_the_bureau_is_one_province_one_city_and_four_units_below_the_city(small_demo):
    province = OrgUnit.objects.get(parent=None)
    assert (province.name, province.kind, province.path) == (PROVINCE, OrgKind.PROVINCE, PROVINCE)
    city = OrgUnit.objects.get(parent=province)
    assert (city.kind, city.path) == (OrgKind.CITY, f"{PROVINCE}/{CITY}")
    below = OrgUnit.objects.filter(parent=city)
    assert sorted(u.path for u in below) == sorted(f"{PROVINCE}/{CITY}/{c.name}" for c in COUNTIES)
    assert {u.kind for u in below} == {OrgKind.COUNTY}
    # Every unit under the city has staff, and nobody works at the province or city level.
    assert set(Employee.objects.values_list("org_unit", flat=True)) == {u.pk for u in below}


def test_every_role_of_spec_1_has_a_login_that_takes_the_demo_password(small_demo):
    users = {u.username: u for u in User.objects.select_related("employee", "org_unit")}
    assert {u.role for u in users.values()} == set(Role)
    for username in users:
        assert authenticate(username=username, password=DEMO_PASSWORD) == users[username], username
        assert authenticate(username=username, password="wrong-password") is None
    city = OrgUnit.objects.get(name=CITY)
    staff = [u for u in users.values() if u.role != Role.EMPLOYEE and not u.is_superuser]
    assert all(u.org_unit == city for u in staff)
    reviewers = {u.username: u.track for u in users.values() if u.role == Role.TRACK_REVIEWER}
    assert reviewers == {"yingxiao": "客户经理", "zhuanmai": "市场管理员"}
    # The admin site is the superuser's only: no role login is staff or carries admin permissions.
    assert not [u.username for u in staff if u.is_staff or u.groups.exists() or u.user_permissions.exists()]
    assert users["admin"].is_superuser and users["admin"].is_staff
    employees = [u for u in users.values() if u.role == Role.EMPLOYEE]
    assert len(employees) == 7 and all(u.employee_id for u in employees)  # yuangong1–6 and the mentor daoshi
    assert users["yuangong1"].employee.track == "客户经理"
    assert users["yuangong3"].employee.track == "专卖管理员"
    for username in users:
        assert username in small_demo  # the login table is printed
    assert DEMO_PASSWORD in small_demo


def test_every_current_rank_is_the_last_rank_change_and_histories_chain(small_demo):
    histories: dict[int, list[RankChange]] = {}
    for change in RankChange.objects.order_by("employee_id", "effective_date", "id"):
        histories.setdefault(change.employee_id, []).append(change)
    employees = list(Employee.objects.all())
    assert len(employees) == 60
    for e in employees:
        history = histories[e.pk]
        assert history[0].from_rank == ""
        assert history[-1].to_rank == e.current_rank, e.employee_no
        assert history[-1].effective_date == e.rank_since, e.employee_no
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_rank == before.to_rank, e.employee_no
            assert after.effective_date > before.effective_date


def test_id_numbers_pass_the_checksum_and_agree_with_birth_date_and_gender(small_demo):
    employees = list(Employee.objects.all())
    assert len(employees) >= 20 and all(e.id_number for e in employees)  # checked on real rows, every one
    assert {e.gender for e in employees} == {"男", "女"}
    for e in employees:
        assert id_number_error(e.id_number) is None, e.id_number
        assert e.id_number[6:14] == e.birth_date.strftime("%Y%m%d")
        assert int(e.id_number[16]) % 2 == (1 if e.gender == "男" else 0)
        assert e.id_number.startswith("39")  # 东海省: a province code no real province has
        assert len(e.phone) == 11 and e.phone.startswith("1")
        assert e.hire_date <= e.role_start_date <= TODAY
        assert 5 <= e.pay_grade <= 15


def test_scores_are_within_0_to_100_and_their_items_add_up_to_the_score(small_demo):
    tracks = dict(Employee.objects.values_list("pk", "track"))
    rows = list(MonthlyScore.objects.values_list("employee_id", "score", "items"))
    assert rows
    for employee_id, score, items in rows:
        assert Decimal(0) <= score <= Decimal(100)
        scheme = SCHEMES["客户经理" if tracks[employee_id] == "客户经理" else "市场管理员"]
        assert set(items) == {name for name, _ in scheme}  # (jsonb does not keep the key order)
        assert all(0 <= Decimal(str(items[name])) <= cap for name, cap in scheme)
        assert sum(Decimal(str(v)) for v in items.values()) == score


def test_fifteen_months_of_scores_end_with_the_last_complete_quarter(small_demo):
    months = set(MonthlyScore.objects.values_list("month", flat=True))
    expected = {f"2025-{m:02d}" for m in range(7, 13)} | {f"2026-{m:02d}" for m in range(1, 10)}
    assert months == expected
    assert set(AbilityScore.objects.values_list("period", flat=True)) == {"2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"}


def test_the_monopoly_and_market_staff_have_certificates_and_the_monopoly_staff_their_levels(small_demo):
    for e in Employee.objects.all():
        assert (e.law_cert_valid_until is None) == (e.track == "客户经理")
    quals = Qualification.objects.select_related("employee")
    assert quals.exists() and all(q.employee.track == "专卖管理员" for q in quals)
    for q in quals:  # a level is granted after its level exam was passed
        assert TrainingRecord.objects.filter(
            employee=q.employee, kind="等级考试", level=q.level, passed=True, date__lt=q.granted_date
        ).exists()


def test_the_worked_examples_of_spec_8_give_their_outcomes(small_demo):
    book = parse_ladder_book(DEFAULT_LADDER_BOOK)
    facts = load_ladder_facts(period=PERIOD).facts
    by_no = {f.employee_no: f for f in facts.values()}
    expected = {
        "LJ000001": ("grade_up", "初级A", ("track_review",)),
        "LJ000002": ("level_up", "中级C", ("committee", "leader", "notice")),
        "LJ000003": ("hold", "初级A", ()),
        "LJ000004": ("skip_grade", "中级A", ("committee", "leader", "notice")),
        "LJ000005": ("grade_down", "中级C", ("committee",)),
        "LJ000006": ("level_down", "见习", ("committee",)),
        "LJ000007": ("hold", "初级B", ()),
        "LJ000008": ("incomplete", "初级B", ()),
    }
    for no, (move, to_rank, route) in expected.items():
        outcome = evaluate(by_no[no], PERIOD, book)
        assert (outcome.move, outcome.to_rank, outcome.route) == (move, to_rank, route), (no, outcome.summary)
        assert outcome.reassign == (no == "LJ000006")
    assert User.objects.get(username="yuangong1").employee.employee_no == "LJ000001"
    assert User.objects.get(username="yuangong2").employee.employee_no == "LJ000003"
    assert User.objects.get(username="yuangong4").employee.employee_no == "LJ000002"  # case B: level_up


def test_the_skip_level_login_is_a_skip_level_for_the_director(small_demo):
    """yuangong5 (LJ000010): 初级B → 中级C, 跳级, committee › director › notice — work for juzhang."""
    book = parse_ladder_book(DEFAULT_LADDER_BOOK)
    e = User.objects.get(username="yuangong5").employee
    facts = load_ladder_facts(period=PERIOD).facts[e.pk]
    outcome = evaluate(facts, PERIOD, book)
    assert (e.employee_no, e.current_rank) == ("LJ000010", "初级B")
    assert (outcome.move, outcome.to_rank, outcome.route) == ("skip_level", "中级C", ("committee", "director", "notice"))
    assert outcome.reassign is False


def test_the_monopoly_login_may_apply_for_the_next_level():
    run_demo("--employees", "40")
    e = User.objects.get(username="yuangong3").employee
    facts = MonopolyFacts(
        employee_no=e.employee_no,
        role_start_date=e.role_start_date,
        pay_grade=e.pay_grade,
        education=e.education,
        exams=tuple(TrainingRecord.objects.filter(employee=e, kind="等级考试").values_list("date", "level", "passed")),
        law_cert_valid_until=e.law_cert_valid_until,
        shuangneng=dict(AnnualRating.objects.filter(employee=e, kind="专卖双能").values_list("year", "rating")),
        publications=tuple(Publication.objects.filter(employee=e).values_list("date", "journal_level", "author_role")),
        qualifications=dict(Qualification.objects.filter(employee=e).values_list("level", "granted_date")),
    )
    assert e.current_rank == "初级专卖管理员"
    result = check_monopoly(facts, "中级专卖管理员", parse_monopoly_book(DEFAULT_MONOPOLY_BOOK), TODAY)
    assert result.met, result.gap


def test_a_default_demo_gives_every_outcome_of_the_evaluation():
    demo_create(employees=600, seed=1, today=TODAY)
    book = parse_ladder_book(DEFAULT_LADDER_BOOK)
    outcomes = [evaluate(f, PERIOD, book) for f in load_ladder_facts(period=PERIOD).facts.values()]
    moves = Counter(o.move for o in outcomes)
    assert set(moves) == {"grade_up", "level_up", "skip_grade", "skip_level", "grade_down", "level_down", "hold",
                          "incomplete"}
    assert moves["hold"] > len(outcomes) / 2  # most people keep their rank in a quarter
    assert sum(o.reassign for o in outcomes) >= 2
    # A spread over the whole ladder.
    ranks = Counter(Employee.objects.exclude(track="专卖管理员").values_list("current_rank", flat=True))
    assert all(ranks[r] >= 10 for r in ("见习", "初级C", "初级B", "初级A", "中级C", "中级B", "中级A", "高级C", "高级B", "高级A"))
    assert Employee.objects.filter(status="离岗").exists()
    assert Violation.objects.exists() and Contribution.objects.exists()


def test_running_it_again_prints_the_logins_and_writes_nothing(small_demo):
    before = table_counts()
    again = run_demo("--employees", "60", "--seed", "7")
    assert table_counts() == before
    assert "已存在" in again and "yuangong1" in again


def test_the_number_of_queries_does_not_grow_with_the_number_of_employees(monkeypatch):
    # The career-development part draws a favour list through its service, whose inserts SQLite
    # batches by its parameter limit (tests/development counts that service's queries itself).
    import jinjie.demo.services

    monkeypatch.setattr(jinjie.demo.services, "_development", lambda today: {})

    def queries(employees: int) -> int:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            # A seed whose 30 people have a record of every kind: an empty table is one INSERT
            # fewer, which says nothing about the bureau's size.
            demo_create(employees=employees, seed=7, today=TODAY)
            transaction.set_rollback(True)  # the next run needs an empty bureau again
        return len(captured.captured_queries)

    # Both sizes give every table some rows: a table with none costs no INSERT at all (30 employees
    # of seed 3 have no 突出贡献 since the demo's first sixteen are worked examples).
    assert queries(80) == queries(400)


def test_the_same_seed_gives_the_same_bureau():
    from jinjie.demo.generate import BureauGenerator, Plan

    plan = Plan.for_today(TODAY)
    first = list(BureauGenerator(seed=5, plan=plan).people(200))
    second = list(BureauGenerator(seed=5, plan=plan).people(200))
    other = list(BureauGenerator(seed=6, plan=plan).people(200))
    assert first == second
    assert [p.name for p in first] != [p.name for p in other]


@pytest.mark.parametrize(("today", "first", "last"), [
    (date(2026, 11, 28), "2025-07", "2026-09"),
    (date(2026, 10, 1), "2025-07", "2026-09"),
    (date(2026, 9, 30), "2025-04", "2026-06"),
    (date(2027, 1, 5), "2025-10", "2026-12"),
])
def test_the_period_is_the_last_complete_quarter_before_today(today, first, last):
    from jinjie.demo.generate import Plan

    plan = Plan.for_today(today)
    assert (plan.months[0], plan.months[-1], len(plan.months)) == (first, last, 15)
    assert plan.period.months[-1] == last


def test_a_bad_employee_count_is_refused_in_chinese_and_writes_nothing():
    with pytest.raises(CommandError, match="员工人数"):
        run_demo("--employees", "5")
    assert not OrgUnit.objects.exists()


def test_taken_usernames_are_refused_and_nothing_is_written():
    User.objects.create_user(username="hr", password="x" * 10)
    with pytest.raises(DemoError, match="用户名已被占用：hr"):
        demo_create(employees=40, today=TODAY)
    assert not OrgUnit.objects.exists() and not Employee.objects.exists()


def test_the_demo_has_career_development_to_show(small_demo):
    from jinjie.development.models import (
        CareerTalk,
        FavourEntry,
        Mentorship,
        Participation,
        PlanComment,
        PortalPage,
        Survey,
        TalkNote,
    )

    assert PortalPage.objects.count() == 3
    daoshi = User.objects.get(username="daoshi")
    assert Mentorship.objects.count() == 2 and Mentorship.objects.filter(mentor=daoshi.employee).exists()
    assert PlanComment.objects.filter(author=daoshi).exists()
    assert CareerTalk.objects.count() == 2 and TalkNote.objects.count() == 1
    survey = Survey.objects.get()
    assert survey.state == "closed" and Participation.objects.filter(survey=survey).exists()
    assert FavourEntry.objects.exists()


def test_the_default_demo_survey_has_groups_shown_and_one_hidden():
    from jinjie.development.models import Survey
    from jinjie.development.selectors.surveys import survey_results

    demo_create(employees=600, seed=1, today=TODAY)
    scale = survey_results(survey=Survey.objects.get())[0]
    shown = sorted(c.count for c in scale.by_unit if c.shown)
    hidden = sorted(c.count for c in scale.by_unit if not c.shown)
    # 3 is under five; 7, the smallest other group, would give it away as total − the rest
    assert shown == [9, 12] and hidden == [3, 7] and scale.overall.count == 31
    # every month of the fifteen has its items
    assert not MonthlyScore.objects.filter(items={}).exists()
