"""Facts of one employee for the pure engine's tests: someone who meets every non-score criterion of
every rank (本科, 三级, long in role, a recent exam and ability of 90), so that the scores and the
fact under test decide the outcome."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from jinjie.rules import DEFAULT_LADDER_BOOK, LadderFacts, Period, parse_ladder_book, rank_step

BOOK = parse_ladder_book(DEFAULT_LADDER_BOOK)
Q3 = Period.parse("2026Q3")


def qualified_employee(rank="初级B", scores=("85", "86", "84"), track="客户经理", **overrides) -> LadderFacts:
    base = LadderFacts(
        employee_no="E001",
        track=track,
        step=rank_step(rank),
        scores=tuple(None if s is None else Decimal(s) for s in scores),
        role_start_date=date(2010, 1, 1),
        education="本科",
        vocational_level="三级",
        exams=((date(2026, 6, 1), Decimal("90")),),
        ability=Decimal("90"),
        rank_since=date(2026, 1, 1),
    )
    return replace(base, **overrides)
