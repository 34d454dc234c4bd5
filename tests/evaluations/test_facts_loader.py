"""The facts of a scope load in a constant number of queries, whatever its size (ARCHITECTURE 10)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.evaluations.facts import ladder_fact_chunks, load_ladder_facts
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


# --- a bureau read in chunks: memory bounded by a chunk, the same facts ---------------------------


def _everyone_in_chunks(size, **kwargs):
    chunks = list(ladder_fact_chunks(period=P, chunk_size=size, **kwargs))
    merged = {}
    for chunk in chunks:
        assert not merged.keys() & chunk.facts.keys(), "an employee is read in two chunks"
        merged.update(chunk.facts)
    return chunks, merged


def test_read_in_chunks_a_bureau_gives_every_employee_the_same_facts_as_in_one_piece(make, tree):
    populate(make, tree["county"], 7)
    populate(make, tree["other"], 4, start=7)
    whole = load_ladder_facts(period=P).facts
    chunks, merged = _everyone_in_chunks(3)
    assert [len(c.facts) for c in chunks] == [3, 3, 3, 2]
    assert merged == whole
    # A scope chunks only its own people.
    _, city = _everyone_in_chunks(3, org_unit=tree["city"])
    assert city == load_ladder_facts(period=P, org_unit=tree["city"]).facts and len(city) == 7


def test_a_chunk_holds_only_its_own_employees_records(make, tree):
    populate(make, tree["county"], 4)
    chunks, _ = _everyone_in_chunks(2)
    first, second = chunks
    # Every chunk's facts have their scores, violations and contributions: the record queries are
    # bounded to the chunk's ids, not to the first chunk's.
    assert all(f.scores == (Decimal("85"), Decimal("86"), Decimal("84")) for f in second.facts.values())
    assert sum(len(f.violation_dates) for c in chunks for f in c.facts.values()) == 2  # E0000, E0003


def test_each_chunk_costs_the_same_few_queries(make, tree):
    populate(make, tree["county"], 6)
    queries, chunks = count_queries(lambda: list(ladder_fact_chunks(period=P, chunk_size=3)))
    # two full chunks of six queries each, and one query that finds nobody after them
    assert len(chunks) == 2 and queries == 2 * 6 + 1
    queries, chunks = count_queries(lambda: list(ladder_fact_chunks(period=P, chunk_size=4)))
    assert [len(c.facts) for c in chunks] == [4, 2] and queries == 2 * 6


def test_a_run_in_small_chunks_writes_the_same_outcomes_as_a_run_in_one(make, tree, monkeypatch):
    from jinjie.evaluations import facts as facts_module
    from jinjie.evaluations.models import Proposal

    populate(make, tree["county"], 9)
    make("BAD1", tree["county"], rank="专家")  # not a rank of the ladder: a problem, not evaluated
    make("BAD0", tree["other"], rank="专家")

    def outcomes():
        return sorted(Proposal.objects.filter(period=str(P)).values_list(
            "employee__employee_no", "move", "to_rank", "reasons", "state"))

    one = evaluation_run(period=P)
    in_one = outcomes()
    monkeypatch.setattr(facts_module, "CHUNK_SIZE", 2)
    seen = []
    small = evaluation_run(period=P, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert outcomes() == in_one and len(in_one) == 9
    assert small.counts == one.counts
    # The problems are listed by 工号 whatever chunk found them; the progress ends at the total.
    assert [p["employee_no"] for p in small.problems] == ["BAD0", "BAD1"] == [p["employee_no"] for p in one.problems]
    assert seen[-1] == ("测评", 11, 11)
