"""Favour lists drawn from the stored records (SPEC 2.6): hand-worked, with a tie and the rank held
on 31 December from the rank history; freeze; the export with SPEC 7's columns; a handful of queries."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from bureau import make_employee
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.assessments.models import MonthlyScore
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.development.models import FavourEntry
from jinjie.development.services import favour_draw, favour_freeze
from jinjie.people.models import AnnualRating, Employee, RankChange, Violation

pytestmark = pytest.mark.django_db


def year_of(employee, scores, rating="称职", year=2026):
    for month, score in enumerate(scores, start=1):
        MonthlyScore.objects.update_or_create(
            employee=employee, month=f"{year}-{month:02d}", defaults={"score": Decimal(str(score))}
        )
    if rating:
        AnnualRating.objects.create(employee=employee, year=year, kind="年度考核", rating=rating)


@pytest.fixture
def year(tree, staff):
    """甲县局 in 2026, worked by hand (张三, 孙老师, 赵六 from the fixture, and three more):

    F1 中级C all year, 12 × 85 → 85.00 + 3 = 88.00
    F2 初级A, 12 × 88 → 88.00 + 0 = 88.00 (same score as F1 but a lower step: after F1)
    F3 中级C since 2027-01-05; on 31 Dec 2026 still 初级A: 88.00 + 0 = 88.00, ties F2 (1, 2, 2, …)
    F4 中级B until 2026-12-31 → 高级C on 2026-12-31: 高级 bonus 6; 12 × 80 → 86.00
    张三 a 较重 violation in 2026 → excluded; 孙老师 5 months only → excluded; 赵六 基本称职 → excluded
    """
    unit = tree["county_a"]
    f1 = make_employee(unit, "F1", "甲", current_rank="中级C")
    f2 = make_employee(unit, "F2", "乙", current_rank="初级A")
    f3 = make_employee(unit, "F3", "丙", current_rank="中级C")
    f4 = make_employee(unit, "F4", "丁", current_rank="高级C")
    year_of(f1, [85] * 12)
    year_of(f2, [88] * 12)
    year_of(f3, [88] * 12)
    RankChange.objects.create(employee=f3, effective_date=date(2024, 1, 1), from_rank="初级B", to_rank="初级A")
    RankChange.objects.create(employee=f3, effective_date=date(2027, 1, 5), from_rank="初级A", to_rank="中级C")
    year_of(f4, [80] * 12)
    RankChange.objects.create(employee=f4, effective_date=date(2026, 12, 31), from_rank="中级B", to_rank="高级C")
    year_of(staff["zhang"], [95] * 12, rating="优秀")
    Violation.objects.create(employee=staff["zhang"], date=date(2026, 5, 1), severity="较重", description="违规")
    year_of(staff["sun"], [99] * 5)
    year_of(staff["zhao"], [90] * 12, rating="基本称职")
    return {"f1": f1, "f2": f2, "f3": f3, "f4": f4}


EXPECTED = [
    ("F1", "中级C", "85.00", "3.00", "88.00", 1, ""),
    ("F2", "初级A", "88.00", "0.00", "88.00", 2, ""),
    ("F3", "初级A", "88.00", "0.00", "88.00", 2, ""),
    ("F4", "高级C", "80.00", "6.00", "86.00", 4, ""),
    ("A001", "初级A", None, None, None, None, "年度内有较重及以上违规"),
    ("A002", "中级B", None, None, None, None, "考核月份不足6个月"),
    ("A003", "初级B", None, None, None, None, "年度考核未达称职"),
]


def shown(entries):
    return [
        (e.employee_no, e.rank, *(None if v is None else str(v) for v in (e.avg, e.bonus, e.score)), e.position, e.excluded)
        for e in entries
    ]


def test_a_drawn_list_matches_the_hand_worked_case(year, users, tree):
    fl = favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users["hr"])
    assert shown(fl.entries.order_by("line")) == EXPECTED


def test_a_list_is_drawn_in_a_handful_of_queries_whatever_the_headcount(year, users, tree):
    with CaptureQueriesContext(connection) as few:
        favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users["hr"])
    for i in range(30):
        year_of(make_employee(tree["county_a"], f"G{i:02d}", f"员工{i}"), [80 + i % 10] * 12)
    with CaptureQueriesContext(connection) as many:
        favour_draw(year=2026, kind="外派学习", org_unit=tree["county_a"], actor=users["hr"])
    assert len(many) <= len(few) <= 15  # the first draw also parses the rule book once (cached)


def test_a_frozen_list_never_changes(year, users, tree):
    fl = favour_draw(year=2026, kind="推荐干部", org_unit=tree["county_a"], actor=users["hr"])
    frozen = favour_freeze(favour_list=fl, actor=users["hr"])
    assert frozen.frozen_by == users["hr"] and frozen.frozen_at is not None
    MonthlyScore.objects.filter(employee=year["f4"]).update(score=Decimal(99))
    with pytest.raises(DomainError, match="已冻结"):
        favour_draw(year=2026, kind="推荐干部", org_unit=tree["county_a"], actor=users["hr"])
    with pytest.raises(DomainError, match="已冻结"):
        favour_freeze(favour_list=fl, actor=users["hr"])
    assert shown(FavourEntry.objects.filter(favour_list=fl).order_by("line")) == EXPECTED


def test_only_hr_draws_and_freezes_within_their_subtree(year, users, tree):
    for who in ("leader", "committee", "zhang"):
        with pytest.raises(NotPermitted):
            favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users[who])
    with pytest.raises(NotPermitted):
        favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users["hr_b"])
    with pytest.raises(DomainError, match="名单类别应为"):
        favour_draw(year=2026, kind="先进", org_unit=tree["county_a"], actor=users["hr"])


def test_the_export_command_has_the_spec_columns(year, tmp_path):
    out = tmp_path / "favour.csv"
    call_command("export", "favour", "--year", "2026", "--kind", "评先", "--org", "某省公司/甲市局/甲县局", "-o", str(out),
                 stdout=io.StringIO())
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["employee_no", "name", "org_unit", "track", "rank", "avg", "bonus", "score", "position", "excluded"]
    assert rows[1] == ["F1", "甲", "某省公司/甲市局/甲县局", "客户经理", "中级C", "85", "3", "88", "1", ""]  # plain decimals
    assert rows[5] == ["A001", "张三", "某省公司/甲市局/甲县局", "客户经理", "初级A", "", "", "", "", "年度内有较重及以上违规"]
    assert len(rows) == 1 + len(EXPECTED)


def test_the_export_of_a_frozen_list_is_the_frozen_list(year, users, tree, tmp_path):
    fl = favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users["hr"])
    favour_freeze(favour_list=fl, actor=users["hr"])
    Employee.objects.filter(pk=year["f1"].pk).update(name="改名")
    out = tmp_path / "favour.xlsx"
    call_command("export", "favour", "--year", "2026", "--kind", "评先", "--org", "某省公司/甲市局/甲县局", "-o", str(out),
                 stdout=io.StringIO())
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("F1", "甲")


def test_the_export_command_refuses_in_chinese(year, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--year 和 --kind"):
        call_command("export", "favour", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="名单类别应为"):
        call_command("export", "favour", "--year", "2026", "--kind", "先进", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="没有找到单位"):
        call_command("export", "favour", "--year", "2026", "--kind", "评先", "--org", "无此单位", "-o", str(tmp_path / "x.csv"))


def test_the_page_shows_ranked_and_excluded_and_exports_the_same(year, users, tree, web):
    fl = favour_draw(year=2026, kind="评先", org_unit=tree["county_a"], actor=users["hr"])
    page = web("leader").get(f"/favour/{fl.pk}/").content.decode()
    assert "年度内有较重及以上违规" in page and "88.00" in page
    response = web("leader").get(f"/favour/{fl.pk}/export/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "employee_no" and rows[1][0] == "F1"
    assert web("zhang").get(f"/favour/{fl.pk}/").status_code == 403
    assert web("hr_b").get(f"/favour/{fl.pk}/").status_code == 404
