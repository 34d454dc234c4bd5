"""Rank pay (SPEC 2.5): base × coefficient from the rule book, moving on the first of the next month."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from jinjie.approvals.pay import PayError, current_pay, pay_history, pay_start, rank_pay
from jinjie.approvals.services import apply_due
from jinjie.people.models import RankChange
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import parsed_rulebook
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "rank,pay",
    [("见习", "2000"), ("初级C", "2400"), ("初级B", "2600"), ("初级A", "2800"), ("中级C", "3200"),
     ("中级B", "3500"), ("中级A", "3800"), ("高级C", "4200"), ("高级B", "4600"), ("高级A", "5000")],
)
def test_the_default_pay_table_is_2000_times_the_coefficient(book, rank, pay):
    assert rank_pay(rank=rank, book=book) == Decimal(pay)
    assert rank_pay(rank=rank, book=parsed_rulebook(book)) == Decimal(pay)


def test_a_monopoly_level_has_no_ladder_pay(book):
    with pytest.raises(PayError, match="不是职级序列中的职级"):
        rank_pay(rank="初级专卖管理员", book=book)


@pytest.mark.parametrize(
    "effective,starts",
    [(date(2026, 10, 9), date(2026, 11, 1)), (date(2026, 10, 1), date(2026, 11, 1)), (date(2026, 12, 31), date(2027, 1, 1))],
)
def test_pay_moves_on_the_first_day_of_the_month_after_the_change(effective, starts):
    assert pay_start(effective) == starts


def test_pay_history_follows_the_rank_changes_and_the_book_in_force_when_the_pay_starts(book, employee):
    emp = employee(rank="初级A")
    RankChange.objects.create(employee=emp, effective_date=date(2025, 7, 1), from_rank="", to_rank="初级C")
    RankChange.objects.create(employee=emp, effective_date=date(2026, 1, 15), from_rank="初级C", to_rank="初级A")
    raised = copy.deepcopy(DEFAULT_LADDER_BOOK)
    raised["pay"]["base"] = "2200"
    rulebook_publish(book=rulebook_create_draft(kind=BookKind.LADDER, document=raised, effective_from=date(2026, 1, 1)))
    history = pay_history(employee=emp)
    assert [(c.from_date, c.previous_rank, c.rank, c.previous_pay, c.monthly_pay) for c in history] == [
        (date(2025, 8, 1), "见习", "初级C", Decimal("2000.0"), Decimal("2400")),
        (date(2026, 2, 1), "初级C", "初级A", Decimal("2640"), Decimal("3080")),
    ]
    assert history[1].difference == Decimal("440")
    assert current_pay(employee=emp, on=date(2026, 1, 31)) == Decimal("2640")  # 初级C, new base
    assert current_pay(employee=emp, on=date(2026, 2, 1)) == Decimal("3080")


def test_an_applied_promotion_raises_pay_from_the_next_month(today, employee, submitted, advance):
    today(date(2026, 10, 8))
    emp = employee(rank="初级B")
    advance(submitted(emp, "初级A"))
    apply_due(today=date(2026, 10, 9))
    (change,) = pay_history(employee=emp)
    assert (change.from_date, change.previous_pay, change.monthly_pay) == (date(2026, 11, 1), Decimal("2600"), Decimal("2800"))
    assert current_pay(employee=emp, on=date(2026, 10, 31)) == Decimal("2600")
    assert current_pay(employee=emp, on=date(2026, 11, 1)) == Decimal("2800")


def test_a_monopoly_administrator_is_not_paid_by_the_ladder_even_with_a_trainee_entry(book, employee):
    emp = employee(rank="初级专卖管理员", track="专卖管理员")
    RankChange.objects.create(employee=emp, effective_date=date(2023, 1, 1), from_rank="", to_rank="见习")
    RankChange.objects.create(employee=emp, effective_date=date(2024, 1, 1), from_rank="见习", to_rank="初级专卖管理员")
    with pytest.raises(PayError, match="专卖管理员的待遇不按职级薪酬系数计算"):
        current_pay(employee=emp, on=date(2026, 10, 1))
    with pytest.raises(PayError):
        pay_history(employee=emp)
