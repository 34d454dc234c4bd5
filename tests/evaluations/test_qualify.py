"""Self-service gap to the next grade and level ("还差: …") and the monopoly level check (SPEC 3, 5)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.evaluations.qualify import ladder_gap, latest_complete_period, monopoly_check
from jinjie.people.models import AnnualRating, Publication, Qualification, TrainingRecord

pytestmark = pytest.mark.django_db


def test_the_gap_lists_the_next_grade_and_the_next_level_c_with_what_is_missing(examples):
    gap = ladder_gap(employee=examples["C"], period="2026Q3")  # 初级A, 高中, 30 months
    assert gap.current_rank == "初级A" and str(gap.period) == "2026Q3"
    assert [t.target for t in gap.targets] == ["中级C"]  # the next grade is the next level's C
    (target,) = gap.targets
    assert not target.met
    assert target.gap == "本岗位任职 30 个月 < 36 个月 或 学历 高中 < 大专"
    failed = target.failed[0]
    assert failed.required.startswith("≥ 36") and "30" in failed.actual


def test_a_b_grade_sees_its_a_grade_and_the_next_level_c(examples):
    gap = ladder_gap(employee=examples["A"], period="2026Q3")  # 初级B
    assert [t.target for t in gap.targets] == ["初级A", "中级C"]
    a, c = gap.targets
    assert a.met and a.gap == ""
    assert not c.met and "能力测评" in c.gap and "职业技能等级" in c.gap


def test_the_gap_ignores_the_evaluation_gates(examples):
    # G has a violation in the period: the evaluation holds, but the A grade's standard is met.
    assert ladder_gap(employee=examples["G"], period="2026Q3").targets[0].met


def test_the_gap_of_someone_off_the_ladder_or_at_its_top(books, tree, make):
    top = make("TOP", tree["county"], rank="高级A", scores=(95, 95, 95))
    mono = make("MONO", tree["county"], track="专卖管理员", rank="初级专卖管理员")
    assert ladder_gap(employee=top, period="2026Q3").targets == ()
    assert "最高职级" in ladder_gap(employee=top, period="2026Q3").note
    assert ladder_gap(employee=mono, period="2026Q3").note


def test_the_gap_reads_one_employee_in_a_few_queries(examples):
    ladder_gap(employee=examples["A"], period="2026Q3")
    with CaptureQueriesContext(connection) as ctx:
        ladder_gap(employee=examples["B"], period="2026Q3")
    assert len(ctx.captured_queries) <= 7


def test_the_default_period_is_the_latest_complete_quarter(examples):
    assert str(latest_complete_period(date(2026, 11, 28))) == "2026Q3"
    assert str(latest_complete_period(date(2026, 1, 1))) == "2025Q4"
    gap = ladder_gap(employee=examples["A"])
    assert gap.period == latest_complete_period()


@pytest.fixture
def candidate(make, tree):
    e = make("M", tree["county"], track="专卖管理员", rank="中级专卖管理员", role_since=date(2022, 1, 1),
             education="大专", pay_grade=9, law_cert_valid_until=date(2027, 1, 1))
    Qualification.objects.create(employee=e, level="中级专卖管理员", granted_date=date(2025, 3, 1))
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level="高级专卖管理员",
                                  score=85, passed=True)
    return e


def test_a_monopoly_check_lists_met_failed_and_manual_items(candidate):
    q = monopoly_check(employee=candidate, level="高级专卖管理员", as_of=date(2026, 6, 30))
    assert not q.met
    assert [r.code for r in q.failed] == ["publications"]
    assert q.manual and all(isinstance(m, str) for m in q.manual)
    Publication.objects.create(employee=candidate, date=date(2026, 6, 1), title="论卷烟市场监管",
                               journal_level="省级", author_role="第一作者")
    assert monopoly_check(employee=candidate, level="高级专卖管理员", as_of=date(2026, 6, 30)).met
    # On 2026-01-31: 中级 held only 11 months, and the exam and the paper came later.
    early = monopoly_check(employee=candidate, level="高级专卖管理员", as_of=date(2026, 1, 31))
    assert [r.code for r in early.failed] == ["held_months:中级专卖管理员", "level_exam", "publications"]


def test_a_monopoly_check_reads_the_shuangneng_rating_of_the_previous_year(candidate):
    AnnualRating.objects.create(employee=candidate, year=2025, kind="专卖双能", rating="良好")
    AnnualRating.objects.create(employee=candidate, year=2026, kind="专卖双能", rating="不合格")
    q = monopoly_check(employee=candidate, level="中级专卖管理员", as_of=date(2026, 6, 30))
    shuangneng = next(r for r in q.reasons if r.code == "shuangneng")
    assert shuangneng.passed and shuangneng.actual == "良好"
