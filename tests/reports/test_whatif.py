"""The rule-book what-if: a draft run against 2026Q3 beside the book in force, writing nothing, and
agreeing with what publishing the draft and evaluating for real would give."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import EvaluationRun, Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role
from jinjie.reports.whatif import WhatIfError, WhatIfTooLarge, first_difference, whatif_run
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.services import rulebook_create_draft
from jinjie.rules import DEFAULT_LADDER_BOOK, Reason
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


def draft(**changes) -> RuleBook:
    """A draft of the default book; `months_中级C` replaces 中级C's months term, `base` the pay base."""
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    if "months_中级C" in changes:
        doc["ranks"]["中级C"]["criteria"][0] = {"type": "months_in_role", "op": ">=", "value": changes["months_中级C"]}
    if "base" in changes:
        doc["pay"]["base"] = changes["base"]
    return rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2026, 7, 1))


def test_a_shorter_term_for_中级C_changes_the_outcomes_of_those_it_held_back(users, tree, evaluated):
    proposals_before = Proposal.objects.count()
    result = whatif_run(book=draft(months_中级C="30"), period=Q3, org_unit=tree["city_a"], actor=users[Role.HR])
    assert result.evaluated == 12  # 甲市局's people, not 乙市局's Y
    assert [(d.employee_no, d.unit, d.from_rank) for d in result.differences] == [
        ("C", "甲县局", "初级A"),
        ("C2", "丙县局", "初级A"),
    ]
    c = result.differences[0]
    assert (c.current.to_rank, c.current.move, c.proposed.to_rank, c.proposed.move) == ("初级A", "hold", "中级C", "level_up")
    assert c.criterion == "本岗位任职月数"
    assert c.current_reason == "本岗位任职 30 个月 < 36 个月 或 学历 高中 < 大专 ✗"
    assert c.proposed_reason == "本岗位任职 30 个月 ≥ 30 个月 ✓"
    # 2000 × (1.6 − 1.4) each, a month.
    assert c.pay_difference == Decimal("400.0")
    assert result.pay_difference == Decimal("800.0")
    assert result.counts_current["hold"] - result.counts_proposed["hold"] == 2
    assert result.counts_proposed["level_up"] - result.counts_current["level_up"] == 2
    # Nothing was written: no proposal, no run.
    assert Proposal.objects.count() == proposals_before
    assert EvaluationRun.objects.count() == 1


def test_the_whatif_agrees_with_publishing_the_draft_and_evaluating_for_real(users, tree, evaluated):
    book = draft(months_中级C="30")
    result = whatif_run(book=book, period=Q3, org_unit=tree["city_a"], actor=users[Role.HR])
    before = {p.employee.employee_no: (p.to_rank, p.move) for p in Proposal.objects.select_related("employee")}
    # "On a copy": the real service refuses to rewrite an evaluated quarter's rules (its guard), so
    # the copy takes the draft as published from the period's start, then evaluates for real.
    RuleBook.objects.filter(pk=book.pk).update(status=BookStatus.PUBLISHED, published_at=timezone.now())
    evaluation_run(period=Q3, org_unit=tree["city_a"])
    after = {p.employee.employee_no: (p.to_rank, p.move) for p in Proposal.objects.select_related("employee")
             if p.employee.org_unit.path.startswith("某省公司/甲市局")}
    changed = {d.employee_no: (d.proposed.to_rank, d.proposed.move) for d in result.differences}
    assert len(after) == result.evaluated
    for no, outcome in after.items():
        assert outcome == changed.get(no, before[no]), no
    counts = {move: 0 for move in result.counts_proposed}
    for _, move in after.values():
        counts[move] += 1
    assert counts == result.counts_proposed


def test_a_new_pay_table_prices_each_side_with_its_own_book(users, tree, evaluated):
    result = whatif_run(book=draft(base="2100"), period=Q3, org_unit=tree["county_c"], actor=users[Role.HR])
    assert result.differences == []
    # 丙县局 after the book in force: A2 初级A 2800, E2 中级C 3200, C2 初级A 2800; the draft's base is 5 % higher.
    assert result.pay_current == Decimal("8800.0")
    assert result.pay_proposed == Decimal("9240.00")


def test_the_first_criterion_that_differs_is_taken_in_the_order_of_the_book_in_force():
    def r(code, passed):
        return Reason(code, code, "", "", passed, f"{code} {passed}")

    now = (r("floor.perf_avg", True), r("education", True), r("perf_avg", False), r("training_score", False))
    new = (r("perf_avg", True), r("education", True), r("training_score", True))
    assert first_difference(now, new) == (now[2], new[0])
    # No verdict differs: the first criterion only one side checked.
    assert first_difference((r("a", True),), (r("a", True), r("b", False))) == (None, r("b", False))
    assert first_difference((r("a", True),), (r("a", True),)) == (None, None)


def test_a_scope_over_the_bound_is_refused_in_a_request_and_offered_as_a_job(users, tree, evaluated, settings):
    settings.JINJIE_WHATIF_MAX_EMPLOYEES = 5
    with pytest.raises(WhatIfTooLarge, match="有 12 名参加测评的员工，超过页面内即时试算的上限 5 人：可以在后台试算"):
        whatif_run(book=draft(), period=Q3, org_unit=tree["city_a"], actor=users[Role.HR])
    # A county of three fits; no bound at all for a background job.
    assert whatif_run(book=draft(), period=Q3, org_unit=tree["county_c"], actor=users[Role.HR]).evaluated == 3
    assert whatif_run(book=draft(), period=Q3, org_unit=tree["city_a"], max_employees=None).evaluated == 12


def test_only_hr_tries_a_book_and_only_in_their_subtree(users, tree, evaluated):
    book = draft()
    for who in (Role.COMMITTEE, Role.LEADER, Role.DIRECTOR):
        with pytest.raises(NotPermitted):
            whatif_run(book=book, period=Q3, org_unit=tree["city_a"], actor=users[who])
    with pytest.raises(NotPermitted):
        whatif_run(book=book, period=Q3, org_unit=tree["city_a"], actor=users["hr_b"])
    monopoly = RuleBook.objects.get(kind=BookKind.MONOPOLY)
    with pytest.raises(WhatIfError, match="只能试算客户经理/市场管理员职级标准"):
        whatif_run(book=monopoly, period=Q3, org_unit=tree["city_a"], actor=users[Role.HR])


def test_progress_is_reported_up_to_everyone_evaluated(users, tree, evaluated):
    seen = []
    whatif_run(book=draft(), period=Q3, org_unit=tree["city_a"], actor=users[Role.HR],
               progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[0] == ("读取数据", 0, 0)
    assert seen[-1] == ("试算", 12, 12)
