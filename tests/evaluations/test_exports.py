"""The proposals and qualifications exports keep the column contract of SPEC 7."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jinjie.core.errors import DomainError
from jinjie.evaluations.services import EvaluationError, evaluation_run
from jinjie.interchange.exports import (
    PROPOSAL_COLUMNS,
    QUALIFICATION_COLUMNS,
    export_proposals,
    export_qualifications,
)
from jinjie.people.models import AnnualRating, TrainingRecord

pytestmark = pytest.mark.django_db


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_xlsx(path):
    return [["" if v is None else v for v in row] for row in load_workbook(path, read_only=True).active.values]


def test_the_proposals_csv_has_exactly_the_contract_columns_and_codes(examples, tmp_path):
    evaluation_run(period="2026Q3")
    n = export_proposals(period="2026Q3", path=tmp_path / "p.csv")
    header, *rows = read_csv(tmp_path / "p.csv")
    assert header == ["employee_no", "name", "org_unit", "track", "from_rank", "to_rank", "move", "route",
                      "reassign", "reasons"]
    assert n == len(rows) == 8
    by_no = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_no["B"]["route"] == "committee>leader>notice" and by_no["B"]["move"] == "level_up"
    assert (by_no["B"]["from_rank"], by_no["B"]["to_rank"]) == ("初级A", "中级C")
    assert by_no["F"]["reassign"] == "1" and by_no["A"]["reassign"] == "0"
    assert by_no["H"]["move"] == "incomplete" and by_no["H"]["route"] == ""
    assert by_no["A"]["org_unit"] == "东海省局/临江市局/青山县局" and by_no["A"]["track"] == "客户经理"
    assert "；" in by_no["C"]["reasons"] and "本岗位任职 30 个月 < 36 个月" in by_no["C"]["reasons"]
    assert {r["move"] for r in by_no.values()} <= {"grade_up", "level_up", "skip_grade", "skip_level",
                                                   "grade_down", "level_down", "hold", "incomplete"}


def test_the_proposals_xlsx_holds_the_same_table_as_the_csv(examples, tmp_path):
    evaluation_run(period="2026Q3")
    export_proposals(period="2026Q3", path=str(tmp_path / "p.csv"))
    export_proposals(period="2026Q3", path=str(tmp_path / "p.xlsx"))
    as_csv = read_csv(tmp_path / "p.csv")
    as_xlsx = [[str(v) for v in row] for row in read_xlsx(tmp_path / "p.xlsx")]
    assert as_xlsx == as_csv and tuple(as_xlsx[0]) == PROPOSAL_COLUMNS


def test_the_proposals_export_follows_the_org_path(books, tree, make, tmp_path):
    make("IN", tree["county"], scores=(85, 86, 84))
    make("OUT", tree["other"], scores=(85, 86, 84))
    evaluation_run(period="2026Q3")
    export_proposals(period="2026Q3", path=tmp_path / "p.csv", org="东海省局/临江市局")
    assert [r[0] for r in read_csv(tmp_path / "p.csv")[1:]] == ["IN"]
    with pytest.raises(DomainError, match="没有找到单位"):
        export_proposals(period="2026Q3", path=tmp_path / "x.csv", org="东海省局/不存在")
    with pytest.raises(EvaluationError, match=r"\.csv 或 \.xlsx"):
        export_proposals(period="2026Q3", path=tmp_path / "p.txt")
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "p.txt").exists()


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(books, tree, make, tmp_path):
    e = make("Z", tree["county"], scores=(85, 86, 84))
    e.name = '=HYPERLINK("http://x","y")'
    e.save()
    evaluation_run(period="2026Q3")
    export_proposals(period="2026Q3", path=tmp_path / "p.csv")
    export_proposals(period="2026Q3", path=tmp_path / "p.xlsx")
    assert read_csv(tmp_path / "p.csv")[1][1] == "'=HYPERLINK(\"http://x\",\"y\")"
    cell = load_workbook(tmp_path / "p.xlsx").active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


@pytest.fixture
def administrators(make, tree):
    ready = make("M1", tree["county"], track="专卖管理员", rank="初级专卖管理员", role_since=date(2024, 1, 1),
                 pay_grade=10, law_cert_valid_until=date(2027, 12, 31))
    TrainingRecord.objects.create(employee=ready, date=date(2026, 3, 1), kind="等级考试", level="初级专卖管理员",
                                  score=80, passed=True)
    AnnualRating.objects.create(employee=ready, year=2025, kind="专卖双能", rating="良好")
    short = make("M2", tree["county"], track="专卖管理员", rank="初级专卖管理员", role_since=date(2026, 1, 1),
                 pay_grade=12, law_cert_valid_until=date(2025, 12, 31))
    make("CM", tree["county"], scores=(85, 86, 84))  # not a 专卖管理员: not listed
    return ready, short


def test_the_qualifications_export_lists_every_monopoly_administrator(administrators, tmp_path):
    n = export_qualifications(level="初级专卖管理员", as_of=date(2026, 6, 30), path=tmp_path / "q.csv")
    header, *rows = read_csv(tmp_path / "q.csv")
    assert header == list(QUALIFICATION_COLUMNS) == ["employee_no", "level", "qualified", "failed"]
    assert n == 2
    m1, m2 = rows
    assert m1 == ["M1", "初级专卖管理员", "1", ""]
    assert m2[:3] == ["M2", "初级专卖管理员", "0"]
    failed = m2[3].split("；")
    assert "专卖管理工作 5 个月 < 12 个月" in failed
    assert any("工资档次" in f for f in failed) and any("执法资格" in f for f in failed)
    assert any("等级考试" in f for f in failed) and any("双能" in f for f in failed)


def test_the_qualifications_export_refuses_an_unknown_level(administrators, tmp_path):
    with pytest.raises(EvaluationError, match="未知的专卖管理员等级"):
        export_qualifications(level="超级专卖管理员", as_of=date(2026, 6, 30), path=tmp_path / "q.xlsx")
    assert not (tmp_path / "q.xlsx").exists()


def test_the_qualifications_xlsx_and_as_of_defaulting_to_today(administrators, tmp_path):
    export_qualifications(level="初级专卖管理员", as_of=None, path=tmp_path / "q.xlsx")
    rows = read_xlsx(tmp_path / "q.xlsx")
    assert rows[0] == list(QUALIFICATION_COLUMNS) and [r[0] for r in rows[1:]] == ["M1", "M2"]


def test_the_csv_is_utf8_with_a_bom_so_excel_reads_the_chinese(examples, tmp_path):
    evaluation_run(period="2026Q3")
    export_proposals(period="2026Q3", path=tmp_path / "p.csv")
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfemployee_no,name,org_unit,track,from_rank,to_rank,move,route,reassign,reasons")
    assert "初级A".encode() in raw


def test_jinjie_export_dispatches_proposals_and_qualifications_here(examples, administrators, tree, tmp_path):
    from django.core.management import call_command

    evaluation_run(period="2026Q3")
    call_command("export", "proposals", "--period", "2026Q3", "--org", "东海省局/临江市局", "-o",
                 str(tmp_path / "p.xlsx"), stdout=io.StringIO())
    rows = read_xlsx(tmp_path / "p.xlsx")
    assert tuple(rows[0]) == PROPOSAL_COLUMNS and len(rows) == 1 + 8 + 1  # A–H and CM (M1, M2 are 专卖)
    call_command("export", "qualifications", "--level", "初级专卖管理员", "--as-of", "2026-06-30", "-o",
                 str(tmp_path / "q.csv"), stdout=io.StringIO())
    assert [r[:3] for r in read_csv(tmp_path / "q.csv")[1:]] == [["M1", "初级专卖管理员", "1"],
                                                                  ["M2", "初级专卖管理员", "0"]]
