"""The facts of a scope load in a constant number of queries, whatever its size (ARCHITECTURE 10)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.evaluations.facts import load_ladder_facts
from jinjie.evaluations.services import evaluation_run
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

P = Period.parse("2026Q3")


def populate(make, unit, n, start=0):
    for i in range(start, start + n):
        make(f"E{i:04d}", unit, rank="初级B", scores=(85, 86, 84), training=70, ability=80,
             violations=[date(2026, 8, 3)] if i % 3 == 0 else (),
             contributions=[date(2026, 7, 3)] if i % 4 == 0 else (),
             previous_change=("初级A", "初级B") if i % 2 else None)


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def test_the_loader_makes_the_same_number_of_queries_for_5_and_for_50_employees(make, tree):
    populate(make, tree["county"], 5)
    five, loaded5 = count_queries(lambda: load_ladder_facts(period=P, org_unit=tree["city"]))
    populate(make, tree["county"], 45, start=5)
    fifty, loaded50 = count_queries(lambda: load_ladder_facts(period=P, org_unit=tree["city"]))
    assert (len(loaded5), len(loaded50)) == (5, 50)
    assert five == fifty <= 6


def test_a_whole_run_makes_the_same_number_of_queries_for_5_and_for_50_employees(make, tree):
    populate(make, tree["county"], 5)
    evaluation_run(period=P)  # warm-up: parses the rule book once; both measured runs then replace drafts
    five, _ = count_queries(lambda: evaluation_run(period=P))
    populate(make, tree["county"], 45, start=5)
    fifty, _ = count_queries(lambda: evaluation_run(period=P))
    assert five == fifty


def test_the_loaded_facts_are_the_records_of_the_period(make, tree):
    e = make("X", tree["county"], rank="初级B", scores=(85, None, 84), training=70, ability=81,
             violations=[date(2026, 8, 3), date(2026, 10, 1)], contributions=[date(2026, 6, 30)],
             previous_change=("初级A", "初级B"))
    e.training.create(date=date(2025, 9, 30), kind="考试", course="窗口之前", score=90)
    e.training.create(date=date(2026, 3, 1), kind="培训", course="不是考试", score=95)
    facts = load_ladder_facts(period=P, employee_id=e.pk).facts[e.pk]
    assert facts.step == 2 and facts.track == "客户经理"
    assert facts.scores == (Decimal("85"), None, Decimal("84"))
    assert [(d, str(s)) for d, s in facts.exams] == [(date(2026, 6, 15), "70.00")]
    assert str(facts.ability) == "81.00"
    assert facts.violation_dates == (date(2026, 8, 3),)
    assert facts.contribution_dates == ()
    assert facts.rank_since == date(2026, 1, 1) and facts.previous_change_was_demotion is True


def test_the_previous_change_is_the_latest_one_and_a_promotion_is_not_a_demotion(make, tree):
    e = make("Y", tree["county"], rank="初级C", rank_since=date(2025, 1, 1), previous_change=("初级B", "初级C"))
    e.rank_changes.create(effective_date=date(2025, 6, 1), from_rank="见习", to_rank="初级C")
    facts = load_ladder_facts(period=P, employee_id=e.pk).facts[e.pk]
    assert facts.previous_change_was_demotion is False
