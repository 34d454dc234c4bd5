"""Paper (SPEC 3.1, 7): the round's export with SPEC 7's columns, and a printable 申报表 per application."""

import csv
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jinjie.applications.form_pdf import render_application_pdf
from jinjie.applications.selectors import application_get
from jinjie.applications.services import (
    application_apply,
    application_review,
    application_withdraw,
    round_close,
)
from jinjie.approvals.services import proposal_decide
from jinjie.core.errors import NotPermitted
from jinjie.interchange.applications_export import APPLICATION_COLUMNS, export_applications
from jinjie.people.models import AnnualRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(round_, people, logins, tree):
    """李 reviewed and approved by the committee; 周 ineligible (双能 corrected); 吴 withdrew; 王 elsewhere."""
    li = application_apply(actor=logins["hr"], round=round_, employee=people["li"])
    zhou = application_apply(actor=logins["hr"], round=round_, employee=people["zhou"])
    wu = application_apply(actor=logins["hr"], round=round_, employee=people["wu"])
    application_withdraw(actor=logins["hr"], application=wu)
    AnnualRating.objects.filter(employee=people["zhou"]).update(rating="合格")
    round_close(actor=logins["hr"], round=round_)
    li = application_review(actor=logins["reviewer"], application=li, items={"manual.1": True, "manual.2": True}, comment="同意")
    proposal_decide(proposal=li.proposal, actor=logins["committee"], decision="approve", comment="委员会同意")
    return {"li": li, "zhou": zhou, "wu": wu}


def test_the_export_has_spec_7s_columns_and_one_row_per_application(decided, round_, tmp_path):
    path = tmp_path / "applications.csv"
    assert export_applications(round=round_, path=path) == 3
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == APPLICATION_COLUMNS == (
        "employee_no", "name", "org_unit", "level", "state", "failed", "manual", "decided_at",
    )
    by_no = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    li, zhou, wu = by_no["M001"], by_no["M002"], by_no["M003"]
    assert (li["name"], li["org_unit"], li["level"], li["state"]) == ("李专管", "某省公司/甲市局/甲县局", "中级专卖管理员", "in_route")
    assert li["failed"] == "" and li["manual"].count("：符合") == 2 and li["decided_at"][:4] == str(date.today().year)
    assert (zhou["state"], zhou["failed"], zhou["manual"]) == ("ineligible", "上年度专卖双能 合格 < 良好", "")
    assert zhou["decided_at"] != ""
    assert (wu["state"], wu["decided_at"]) == ("withdrawn", "")


def test_the_command_writes_excel_and_refuses_a_missing_or_unknown_round(decided, round_, tmp_path):
    path = tmp_path / "applications.xlsx"
    call_command("export", "applications", "--round", str(round_.pk), "-o", str(path))
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == list(APPLICATION_COLUMNS)
    assert sheet.max_row == 4
    with pytest.raises(CommandError, match="须指定 --round"):
        call_command("export", "applications", "-o", str(path))
    with pytest.raises(CommandError, match="申报批次不存在"):
        call_command("export", "applications", "--round", "999999", "-o", str(path))
    with pytest.raises(CommandError, match="批次编号应为数字"):
        call_command("export", "applications", "--round", "abc", "-o", str(path))


def test_hr_of_another_city_may_not_export_the_round(decided, round_, logins, tmp_path):
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        export_applications(round=round_, path=tmp_path / "b.csv", actor=logins["hr_b"])
    assert not (tmp_path / "b.csv").exists()


def test_the_form_prints_as_a_pdf_with_the_chinese_font(decided, logins):
    a = application_get(pk=decided["li"].pk, user=logins["hr"])
    pdf = render_application_pdf(a)
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf and len(pdf) > 2000
    # An application not yet checked prints too (the conditions as checked when applying).
    waiting = application_get(pk=decided["wu"].pk, user=logins["hr"])
    assert render_application_pdf(waiting).startswith(b"%PDF")
