"""Public notices (公示): who publishes what, how long they run, and the document they print."""

import base64
import copy
import re
import zlib
from datetime import date

import pytest

from jinjie.approvals.models import Notice, NoticeItem
from jinjie.approvals.notice_pdf import notice_context, render_notice_pdf
from jinjie.approvals.noticedays import notice_window
from jinjie.approvals.services import notice_publish
from jinjie.approvals.workflow import BatchWorkflowError, WorkflowError
from jinjie.core.errors import NotPermitted
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(today, employee, submitted, advance):
    """Two level-ups into 中级 approved by committee and leader, waiting for their notice."""
    today(date(2026, 9, 28))
    return [advance(submitted(employee(name, rank="初级A"), "中级C")) for name in ("张三", "李四")]


# --- how long ------------------------------------------------------------------------------------


def test_seven_calendar_days_start_the_day_after_publication():
    assert notice_window(published_on=date(2026, 9, 28), days=7, day_kind="calendar") == (
        date(2026, 9, 29), date(2026, 10, 5)
    )


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    # 09-29, 09-30, then 10-01…10-07 are holidays; 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
    assert notice_window(published_on=date(2026, 9, 28), days=7, day_kind="working") == (
        date(2026, 9, 29), date(2026, 10, 13)
    )


@pytest.mark.parametrize("days,kind", [(0, "calendar"), (-3, "working"), (61, "calendar"), (7, "weeks"), ("7", "calendar")])
def test_a_bad_notice_length_is_refused(days, kind):
    with pytest.raises(ValueError, match="公示天数"):
        notice_window(published_on=date(2026, 9, 28), days=days, day_kind=kind)


def test_a_year_the_holiday_calendar_does_not_cover_is_refused_for_working_days():
    with pytest.raises(ValueError, match="节假日数据未覆盖 2099 年"):
        notice_window(published_on=date(2099, 1, 5), days=5, day_kind="working")


def test_the_notice_length_comes_from_the_rule_book_by_default(staff, units, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    assert (notice.days, notice.day_kind, notice.published_on) == (7, "calendar", date(2026, 9, 28))
    assert (notice.start_date, notice.end_date) == (date(2026, 9, 29), date(2026, 10, 5))


def test_hr_edits_the_notice_settings_in_a_new_rule_book_version(book, staff, units, waiting):
    document = copy.deepcopy(DEFAULT_LADDER_BOOK)
    document["notice"] = {"days": "5", "counting": "working"}
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=document, effective_from=date(2026, 9, 1))
    rulebook_publish(book=draft)
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    assert (notice.days, notice.day_kind, notice.end_date) == (5, "working", date(2026, 10, 10))


def test_the_committee_may_choose_the_length_of_one_notice(staff, units, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"], days=7, day_kind="working")
    assert notice.end_date == date(2026, 10, 13)


# --- what is published ---------------------------------------------------------------------------


def test_publishing_puts_the_proposals_on_notice_with_a_snapshot_of_what_was_said(staff, units, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    assert notice.title == "关于张三等同志职级晋升的公示"
    items = list(NoticeItem.objects.filter(notice=notice).values_list("position", "name", "unit_name", "from_rank", "to_rank", "move_label"))
    assert items == [(1, "张三", "青山县局", "初级A", "中级C", "晋级"), (2, "李四", "青山县局", "初级A", "中级C", "晋级")]
    for p in waiting:
        p.refresh_from_db()
        assert p.state == "on_notice"


def test_one_person_is_named_alone_and_a_title_may_be_given(staff, units, waiting):
    one = notice_publish(org_unit=units["city"], proposals=waiting[:1], actor=staff["committee"])
    assert one.title == "关于张三同志职级晋升的公示"
    other = notice_publish(org_unit=units["city"], proposals=waiting[1:], actor=staff["committee"], title="2026年第3季度职级晋升公示")
    assert other.title == "2026年第3季度职级晋升公示"


def test_only_the_committee_publishes_and_only_for_its_own_units(staff, units, waiting):
    with pytest.raises(NotPermitted, match="考评委员会"):
        notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["leader"])
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["other_committee"])
    assert not Notice.objects.exists()


def test_a_proposal_not_waiting_for_its_notice_is_refused_and_nothing_is_published(staff, units, employee, submitted, waiting):
    early = submitted(employee(rank="初级A"), "中级C")  # still at the committee step
    with pytest.raises(BatchWorkflowError) as refused:
        notice_publish(org_unit=units["city"], proposals=[*waiting, early], actor=staff["committee"])
    assert [pk for pk, _ in refused.value.errors] == [early.pk]
    assert "当前环节为“考评委员会”，不是待公示" in str(refused.value)
    assert not Notice.objects.exists()


def test_a_notice_of_the_county_cannot_carry_an_employee_of_the_city_office(staff, units, employee, submitted, advance, waiting):
    city_emp = advance(submitted(employee(rank="初级A", unit="city"), "中级C"))
    with pytest.raises(BatchWorkflowError, match="不属于东海省局/临江市局/青山县局"):
        notice_publish(org_unit=units["county"], proposals=[*waiting, city_emp], actor=staff["committee"])


def test_a_proposal_is_published_once(staff, units, waiting):
    notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    with pytest.raises(BatchWorkflowError, match="已在公示"):
        notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])


def test_publishing_nothing_is_refused(staff, units, waiting):
    with pytest.raises(WorkflowError, match="没有选择任何建议"):
        notice_publish(org_unit=units["city"], proposals=[], actor=staff["committee"])


# --- the document -------------------------------------------------------------------------------


def test_the_notice_context_reads_as_a_gongshi(staff, units, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    ctx = notice_context(notice)
    assert ctx["columns"] == ["序号", "姓名", "所属单位", "原职级", "拟晋升职级", "变动类别"]
    assert [r["name"] for r in ctx["rows"]] == ["张三", "李四"]
    assert ctx["period_text"] == "2026年9月29日至2026年10月5日"
    assert ctx["period_sentence"] == "公示期为2026年9月29日至2026年10月5日（7个自然日）。"
    assert ctx["objection_contact"] == "异议受理：临江市局考评委员会办公室"
    assert (ctx["issuer_committee"], ctx["signature_date"]) == ("临江市局考评委员会", "2026年9月28日")


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in a reportlab PDF with the STSong-Light CID font (UCS-2 big-endian strings)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        stream = stream.strip()
        if stream.endswith(b"~>"):  # reportlab's default: ASCII85 over Flate
            stream = base64.a85decode(stream[:-2].replace(b"\n", b""))
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            data = stream
        for hexes in re.findall(rb"<([0-9a-fA-F]+)>\s*Tj", data):
            out.append(bytes.fromhex(hexes.decode()).decode("utf-16-be", errors="replace"))
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data):
            raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), literal)
            raw = re.sub(rb"\\(.)", rb"\1", raw)
            out.append(raw.decode("utf-16-be", errors="replace") if len(raw) % 2 == 0 else raw.decode("latin-1"))
    return "".join(out)


def test_the_pdf_prints_the_title_the_table_the_period_and_how_to_object_in_chinese(staff, units, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=waiting, actor=staff["committee"])
    pdf = render_notice_pdf(notice)
    assert pdf.startswith(b"%PDF-")
    assert b"STSong-Light" in pdf
    text = _pdf_text(pdf)
    for expected in ("关于张三等同志职级晋升的公示", "姓名", "拟晋升职级", "张三", "李四", "中级C", "晋级",
                     "2026年9月29日至2026年10月5日", "考评委员会办公室", "临江市局考评委员会", "2026年9月28日"):
        assert expected in text, expected
    assert render_notice_pdf(notice) == pdf  # the same notice always prints the same
