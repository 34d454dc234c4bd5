"""Writes of evaluations: the quarterly run (SPEC 2.3; `jinjie evaluate`, SPEC 7).

`evaluation_run` gathers the facts of a scope in a handful of queries, runs the pure engine once
per employee with the rule book in force at the period start, and replaces the scope's previous
outcomes of that period in one transaction.

Hand-over to the approval workflow (approvals/): every move with a route is stored as a Proposal
in state `draft`, with `route` the list of steps from the rule book (e.g. ["committee", "leader",
"notice"]) and `step_index` 0, i.e. the first step of the route is the next one to decide. Holds
and incompletes are stored too, in state `no_action` with an empty route, so that the period's
counts and the export are one query each. A re-run deletes and recomputes only `draft` and
`no_action` proposals; once the workflow has moved a proposal on (any other state), the run leaves
it and its employee alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone

from jinjie.org.models import OrgUnit
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import evaluate
from jinjie.rules.ladder import MOVES, RANKS

from .facts import load_ladder_facts
from .models import EvaluationRun, Proposal, ProposalKind, ProposalState

__all__ = ["BATCH_SIZE", "REPLACEABLE_STATES", "EvaluationError", "evaluation_run", "parse_period"]

BATCH_SIZE = 2000
# States a re-run may replace. Everything else has entered the workflow and is never touched.
REPLACEABLE_STATES = (ProposalState.DRAFT, ProposalState.NO_ACTION)
_NO_ROUTE_MOVES = frozenset({"hold", "incomplete"})

Progress = Callable[[str, int, int], None]


class EvaluationError(Exception):
    """A run that cannot start (bad period, no rule book …); the message is Chinese, nothing was written."""


def parse_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except ValueError as e:
        raise EvaluationError(str(e)) from None


def _proposal(run: EvaluationRun, employee_id: int, outcome, period: str) -> Proposal:
    no_action = outcome.move in _NO_ROUTE_MOVES
    return Proposal(
        kind=ProposalKind.EVALUATION,
        run=run,
        period=period,
        employee_id=employee_id,
        from_rank=RANKS[outcome.from_step],
        to_rank=RANKS[outcome.to_step],
        move=outcome.move,
        route=list(outcome.route),
        reassign=outcome.reassign,
        reasons=[r._asdict() for r in outcome.reasons],
        summary=outcome.summary[:500],
        rulebook_id=run.rulebook_id,
        state=ProposalState.NO_ACTION if no_action else ProposalState.DRAFT,
        step_index=0,
    )


def evaluation_run(
    *,
    period: Period | str,
    org_unit: OrgUnit | None = None,
    actor=None,
    progress: Progress | None = None,
) -> EvaluationRun:
    """Evaluate everyone in `org_unit`'s subtree (all units when None) for `period`.

    `progress(stage, done, total)` is called while it works (for the command's progress bar).
    Raises EvaluationError (Chinese) for a bad period, no rule book in force, or a concurrent run.
    """
    period = parse_period(period)
    try:
        book_row = rulebook_in_force(kind=BookKind.LADDER, on=period.start)
    except NoRuleBookError as e:
        raise EvaluationError(str(e)) from None
    book = parsed_rulebook(book_row)
    report = progress or (lambda stage, done, total: None)

    report("读取数据", 0, 0)
    loaded = load_ladder_facts(period=period, org_unit=org_unit)
    total = len(loaded.facts)
    report("测评", 0, total)
    try:
        return _write_run(period, org_unit, actor, book_row, book, loaded, report, total)
    except IntegrityError:
        # Two runs of the same scope at once on PostgreSQL: the one-open-proposal constraint stops
        # the second, whose transaction rolled back entirely.
        raise EvaluationError("同一测评期的另一次测评正在进行或刚刚完成，请稍后重新运行") from None


@transaction.atomic
def _write_run(period, org_unit, actor, book_row, book, loaded, report, total) -> EvaluationRun:
    key = str(period)
    run = EvaluationRun.objects.create(period=key, org_unit=org_unit, rulebook=book_row, started_by=actor)
    existing = Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=key)
    if org_unit is not None:
        # The whole subtree, whatever the status or track: the draft of someone who has left since
        # the last run goes away with the rest.
        existing = existing.filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
    # Lock the scope's proposals of the period before reading their states, so that the workflow
    # cannot move a draft into review between this read and the delete below (PostgreSQL; SQLite
    # already holds the database's write lock since BEGIN IMMEDIATE).
    in_review = {
        emp
        for emp, state in existing.select_for_update(of=("self",)).values_list("employee_id", "state")
        if state not in REPLACEABLE_STATES
    }
    # A raw delete: drafts have no dependants (the workflow attaches steps only after a proposal
    # leaves draft), so Django's collector would only load every row for nothing. Should anything
    # reference one after all, the foreign key refuses and the whole run rolls back.
    replaced = existing.filter(state__in=REPLACEABLE_STATES)
    replaced._raw_delete(replaced.db or DEFAULT_DB_ALIAS)

    counts = dict.fromkeys(MOVES, 0)
    kept = 0
    batch: list[Proposal] = []
    done = 0
    for employee_id, facts in loaded.facts.items():
        done += 1
        if employee_id in in_review:
            kept += 1
            continue
        outcome = evaluate(facts, period, book)
        counts[outcome.move] += 1
        batch.append(_proposal(run, employee_id, outcome, key))
        if len(batch) >= BATCH_SIZE:
            Proposal.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            batch.clear()
            report("测评", done, total)
    if batch:
        Proposal.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    report("测评", total, total)

    run.counts = counts
    run.kept = kept
    run.problems = [{"employee_no": no, "message": message} for _, no, message in loaded.invalid]
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "kept", "problems", "finished_at"])
    return run
