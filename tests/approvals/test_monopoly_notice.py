"""A 专卖管理员 level's notice (SPEC 3.1): it lists the level, not a rank, and runs as long as the
monopoly rule book says — or, when that book sets no notice, as long as the ladder book says."""

from datetime import date

import pytest

from jinjie.approvals.notice_pdf import notice_context, render_notice_pdf
from jinjie.approvals.services import notice_publish
from jinjie.evaluations.models import Move, Proposal, ProposalKind
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.book import RuleBookError, parse_monopoly_book
from jinjie.rules.defaults import DEFAULT_MONOPOLY_BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(book, today, staff, employee):
    """A granted level waiting for its notice (committee approved)."""
    today(date(2026, 10, 8))
    emp = employee("专管甲", rank="初级专卖管理员", track="专卖管理员")
    monopoly = RuleBook.objects.get(kind=BookKind.MONOPOLY)
    return Proposal.objects.create(
        kind=ProposalKind.MONOPOLY, employee=emp, from_rank="初级专卖管理员", to_rank="中级专卖管理员",
        move=Move.GRANT, route=["committee", "notice"], rulebook=monopoly, state="in_review", step_index=1,
    )


def test_the_notice_lists_the_level_and_says_so(units, staff, waiting):
    notice = notice_publish(org_unit=units["city"], proposals=[waiting], actor=staff["committee"])
    assert notice.title == "关于专管甲同志专卖管理员等级晋升的公示"
    ctx = notice_context(notice)
    assert ctx["columns"] == ["序号", "姓名", "所属单位", "原等级", "拟取得等级", "变动类别"]
    assert ctx["rows"][0]["to_rank"] == "中级专卖管理员" and ctx["rows"][0]["move_label"] == "取得等级"
    assert "专卖管理员等级申报条件" in ctx["intro"] and "专卖管理员等级予以认定" in ctx["intro"]
    assert "职级予以晋升" not in ctx["intro"]
    assert render_notice_pdf(notice).startswith(b"%PDF")


def test_without_its_own_settings_the_ladder_books_notice_applies(units, staff, waiting):
    assert parse_monopoly_book(DEFAULT_MONOPOLY_BOOK).notice_days is None
    notice = notice_publish(org_unit=units["city"], proposals=[waiting], actor=staff["committee"])
    assert (notice.days, notice.day_kind) == (7, "calendar")
    assert (notice.start_date, notice.end_date) == (date(2026, 10, 9), date(2026, 10, 15))


def test_the_monopoly_books_own_notice_settings_apply_to_its_notices(units, staff, waiting):
    doc = {**DEFAULT_MONOPOLY_BOOK, "version": "2", "notice": {"days": "5", "counting": "working"}}
    draft = rulebook_create_draft(kind=BookKind.MONOPOLY, document=doc, effective_from=date(2026, 10, 1))
    rulebook_publish(book=draft)
    notice = notice_publish(org_unit=units["city"], proposals=[waiting], actor=staff["committee"])
    # Five working days from 10-09: 09, 10 (a make-up working Saturday), 12, 13, 14 (11 is a Sunday).
    assert (notice.days, notice.day_kind) == (5, "working")
    assert notice.end_date == date(2026, 10, 14)


def test_a_bad_notice_setting_in_a_monopoly_book_is_named():
    with pytest.raises(RuleBookError, match=r"notice.counting: 应为 'calendar'"):
        parse_monopoly_book({**DEFAULT_MONOPOLY_BOOK, "notice": {"days": "5", "counting": "weekly"}})
