"""Writes of evaluations: the quarterly run (SPEC 2.3; `jinjie evaluate`, SPEC 7).

`evaluation_run` gathers the facts of a scope in a handful of queries per chunk of employees,
runs the pure engine once per employee with the rule book in force at the period start, and
replaces the scope's previous outcomes of that period in one transaction. Facts are read chunk by
chunk inside that transaction and each chunk's outcomes written before the next is read, so the
run holds one chunk in memory whatever the size of the bureau.

Hand-over to the approval workflow (approvals/): every move with a route is stored as a Proposal
in state `draft`, with `route` the list of steps from the rule book (e.g. ["committee", "leader",
"notice"]) and `step_index` 0, i.e. the first step of the route is the next one to decide. Holds
and incompletes are stored too, in state `no_action` with an empty route, so that the period's
counts and the export are one query each. A re-run deletes and recomputes only `draft` and
`no_action` proposals; once the workflow has moved a proposal on (any other state), the run leaves
it and its employee alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from jinjie.core.bulk import cycle_collector_paused
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.core.snapshot import read_aside, unchanged_so_far
from jinjie.core.statistics import analyze_tables
from jinjie.org import authority
from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.selectors import BooksInForce, NoRuleBookError, parsed_rulebook
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import evaluate
from jinjie.rules.ladder import MOVES, RANKS

from .facts import ladder_fact_chunks, ladder_scope_filter
from .models import EvaluationRun, Proposal, ProposalKind, ProposalState

__all__ = ["BATCH_SIZE", "REPLACEABLE_STATES", "EvaluationError", "evaluation_run", "parse_period"]

BATCH_SIZE = 2000
# States a re-run may replace. Everything else has entered the workflow and is never touched.
REPLACEABLE_STATES = (ProposalState.DRAFT, ProposalState.NO_ACTION)
_NO_ROUTE_MOVES = frozenset({"hold", "incomplete"})
_NO_ACTION, _DRAFT = ProposalState.NO_ACTION.value, ProposalState.DRAFT.value

_quote = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept as UTF-8

Progress = Callable[[str, int, int], None]


class EvaluationError(DomainError):
    """A run that cannot start (bad period, no rule book …); the message is Chinese, nothing was written."""


def parse_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except ValueError as e:
        raise EvaluationError(str(e)) from None


class _Memo(dict):
    """value → make(value), each distinct value made once; at most _LIMIT kept, so that a run's
    memory does not grow with the bureau (100,000 people have ~31,000 distinct reasons, the
    frequent ones met first); beyond that, values are made on the fly."""

    _LIMIT = 20_000

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self.make(key)
        if len(self) < self._LIMIT:
            self[key] = value
        return value


def _reason_json(reason, dumps) -> str:
    """The same JSON as json.dumps(reason._asdict()) with non-ASCII kept, built with json's own
    string escaper: four times faster than the generic encoder, for the one shape every reason has."""
    code, label, required, actual, passed, text = reason
    if not all(type(v) is str for v in (code, label, required, actual, text)):
        return dumps(reason._asdict())
    return (
        f'{{"code":{_quote(code)},"label":{_quote(label)},"required":{_quote(required)},'
        f'"actual":{_quote(actual)},"passed":{"true" if passed else "false"},"text":{_quote(text)}}}'
    )


def _copy_text(value: str) -> bytes:
    """A text value as a field of a COPY … FROM STDIN in text format (UTF-8, the connection's
    encoding): the four characters that format gives a meaning escaped (SQL COPY, "File Formats")."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value.encode()


class _ProposalWriter:
    """Bulk INSERT of proposals as plain rows: no model instance per employee.

    bulk_create would build a Proposal and run every field's preparation per row, and on SQLite
    Django caps a multi-row INSERT at 999 parameters (58 proposals); an executemany of one
    prepared statement does the same work in a fraction of the time. On PostgreSQL the rows go
    into a COPY instead, written as COPY's text format directly.

    The reasons are most of each row. Across a bureau they repeat (a run over 93,000 people had
    900,000 reasons but 31,000 distinct ones: "学历 高中 ≥ 高中 ✓" …), so each distinct reason is
    encoded once — to JSON, and on PostgreSQL on to its escaped UTF-8 bytes — and a row's list is
    joined from the cached pieces. Chinese is stored as UTF-8, not \\u escapes, which halves what
    the database writes. (psycopg's write_row would escape and encode the whole 1.6 KB list again
    for every row: a fifth of a run's time at 100,000.)
    """

    _FIELDS = ("kind", "run", "period", "employee", "from_rank", "to_rank", "move", "route", "reassign",
               "reasons", "summary", "rulebook", "state", "step_index", "effective_date", "created_at",
               "updated_at")
    # Rows sent to the COPY at once (~300 KB): few calls into psycopg, little held in memory.
    _SEND_EVERY = 200

    def __init__(self, run: EvaluationRun) -> None:
        self.connection = connections[router.db_for_write(Proposal)]
        ops = self.connection.ops
        meta = Proposal._meta
        columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in self._FIELDS)
        self.sql = (
            f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(self._FIELDS))})"
        )
        self.copying = self.connection.vendor == "postgresql"
        self.copy_sql = f"COPY {ops.quote_name(meta.db_table)} ({columns}) FROM STDIN" if self.copying else None
        now = timezone.now()
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._route = _Memo(lambda route: dumps(list(route)))
        self.rows: list = []  # SQLite: parameter tuples; PostgreSQL: COPY lines not sent yet
        self._copy = self._copying = self._cursor = None
        if self.copying:
            # The columns every row of the run shares, as COPY text: kind, run, period … and, at
            # the end, effective_date (NULL), created_at, updated_at.
            stamp = now.isoformat().encode()
            self._head = b"\t".join((_copy_text(ProposalKind.EVALUATION.value), str(run.pk).encode(),
                                      _copy_text(run.period), b""))
            self._book = str(run.rulebook_id).encode()
            self._tail = b"\t0\t\\N\t" + stamp + b"\t" + stamp + b"\n"  # step 0, no effective date
            self._text = _Memo(_copy_text)
            self._reason_piece = _Memo(lambda reason: _copy_text(_reason_json(reason, dumps))).__getitem__
            self._states = {True: _NO_ACTION.encode(), False: _DRAFT.encode()}
        else:
            now = ops.adapt_datetimefield_value(now)
            self.fixed = (ProposalKind.EVALUATION.value, run.pk, run.period)
            self.tail = (run.rulebook_id,)
            self.times = (None, now, now)
            # reason → its JSON, looked up for a whole list at once (map over the dict's subscript)
            self._reason_piece = _Memo(lambda reason: _reason_json(reason, dumps)).__getitem__

    def add(self, employee_id: int, outcome, rulebook_id: int | None = None) -> None:
        if self.copying:
            self._add_line(employee_id, outcome, rulebook_id)
            return
        self.rows.append((
            *self.fixed,
            employee_id,
            RANKS[outcome.from_step],
            RANKS[outcome.to_step],
            outcome.move,
            self._route[outcome.route],
            outcome.reassign,
            "[" + ",".join(map(self._reason_piece, outcome.reasons)) + "]",
            outcome.summary[:500],
            *((rulebook_id,) if rulebook_id is not None else self.tail),
            _NO_ACTION if outcome.move in _NO_ROUTE_MOVES else _DRAFT,
            0,  # step_index: the first step of the route is the next to decide
            *self.times,
        ))

    def _add_line(self, employee_id: int, outcome, rulebook_id: int | None) -> None:
        """PostgreSQL: the row as one line of COPY text, in _FIELDS order. The lines go into a
        COPY kept open until the next flush, so the server stores rows (jsonb, the indexes) on the
        other core while the engine computes the next ones, instead of the two taking turns. No
        other query may run on the connection meanwhile."""
        text = self._text
        move = outcome.move
        self.rows.append(b"".join((
            self._head,
            str(employee_id).encode(), b"\t",
            text[RANKS[outcome.from_step]], b"\t",
            text[RANKS[outcome.to_step]], b"\t",
            text[move], b"\t",
            text[self._route[outcome.route]], b"\t",
            b"t\t" if outcome.reassign else b"f\t",
            b"[", b",".join(map(self._reason_piece, outcome.reasons)), b"]\t",
            _copy_text(outcome.summary[:500]), b"\t",
            str(rulebook_id).encode() if rulebook_id is not None else self._book, b"\t",
            self._states[move in _NO_ROUTE_MOVES],
            self._tail,
        )))
        if len(self.rows) >= self._SEND_EVERY:
            self._send()

    def _send(self) -> None:
        if self._copy is None:
            self._cursor = self.connection.cursor()
            self._copying = self._cursor.cursor.copy(self.copy_sql)
            self._copy = self._copying.__enter__()
        self._copy.write(b"".join(self.rows))
        self.rows = []

    def flush(self) -> None:
        """Everything added is in the database (within the run's transaction) when this returns."""
        if self.copying:
            if self.rows:
                self._send()
            if self._copy is not None:
                copying, self._copy = self._copying, None
                try:
                    copying.__exit__(None, None, None)  # ends the COPY: the server has every row
                finally:
                    self._cursor.close()
            return
        if self.rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []

    def abort(self, error: BaseException) -> None:
        """Ends an open COPY as failed, so that the run's transaction can roll back."""
        self.rows = []
        if self._copy is None:
            return
        copying, self._copy = self._copying, None
        try:
            copying.__exit__(type(error), error, error.__traceback__)
        except Exception:  # noqa: BLE001 - the server's "COPY failed" answer; the rollback follows
            pass
        finally:
            self._cursor.close()


def evaluation_run(
    *,
    period: Period | str,
    org_unit: OrgUnit | None = None,
    actor=None,
    progress: Progress | None = None,
) -> EvaluationRun:
    """Evaluate everyone in `org_unit`'s subtree (all units when None) for `period`.

    `actor`: the user running it (evaluations.run over `org_unit`; only a superuser may run every
    unit at once); None is the command line, run by the installation's operator.
    `progress(stage, done, total)` is called while it works (for the command's progress bar).
    Raises EvaluationError (Chinese) for a bad period, no rule book in force on the period's
    start, or a write the database refused; in every case nothing is saved.
    """
    if actor is not None:
        if org_unit is None and not actor.is_superuser:
            org_unit = actor.org_unit  # "every unit" for a user is their own subtree
            if org_unit is None:
                raise NotPermitted("您的账号没有设置所属单位(数据范围)，请联系人事劳资")
        authority.require(actor, "evaluations.run", org_unit)
    period = parse_period(period)
    books = BooksInForce(kind=BookKind.LADDER, on=period.start)
    try:
        book_row = books.for_unit(org_unit)
    except NoRuleBookError as e:
        raise EvaluationError(str(e)) from None
    book = parsed_rulebook(book_row)
    report = progress or (lambda stage, done, total: None)

    report("读取数据", 0, 0)
    with cycle_collector_paused():  # ~10 objects per employee, no cycles among them (core.bulk)
        try:
            run = _write_run(period, org_unit, actor, book_row, book, report, books)
        except IntegrityError:
            # The one-open-proposal constraint or a foreign key refused the write; the transaction
            # rolled back entirely, so the period is as it was before the run.
            raise EvaluationError(
                "测评结果未能保存，未做任何修改：有其他操作同时修改了本期建议，请稍后重新运行"
            ) from None
    # A period evaluated again replaces its drafts one for one: the statistics still hold.
    analyze_tables(Proposal._meta.db_table, unless_within=0.1)
    return run


def _narrower_books(org_unit, books: BooksInForce) -> dict[int, RuleBook]:
    """Employees under a unit with a standard of its own (a 市局 inside a province-wide run): the
    book each of them is evaluated with. Empty — the common case — costs no query."""
    if not books.owned_below(org_unit):
        return {}
    paths = Employee.objects.filter(ladder_scope_filter(org_unit=org_unit)).values_list("pk", "org_unit__path")
    out = {}
    for pk, path in paths.iterator(chunk_size=5000):
        chosen = books.for_path(path)
        if chosen.org_unit_id is not None:
            out[pk] = chosen
    return out


def _by_no(item: tuple) -> str:
    return item[1]


@transaction.atomic
def _write_run(period, org_unit, actor, book_row, book, report, books) -> EvaluationRun:
    key = str(period)
    # Asked before the lock below (the transaction's first change): whether the facts may be read
    # on a second connection, beside the COPY of the outcomes (core.snapshot).
    aside = unchanged_so_far(router.db_for_write(Proposal))
    # Runs over overlapping scopes take turns: each locks its units (in id order, so two runs
    # cannot deadlock) for the length of its transaction; the later one then replaces the
    # earlier one's drafts instead of colliding with them. FOR NO KEY UPDATE does not block the
    # inserts elsewhere that merely reference a unit. (SQLite: BEGIN IMMEDIATE already serialises.)
    units = OrgUnit.objects.order_by("pk")
    if org_unit is not None:
        units = units.filter(org_unit.subtree_filter())
    list(units.select_for_update(no_key=True).values_list("pk", flat=True))
    run = EvaluationRun.objects.create(period=key, org_unit=org_unit, rulebook=book_row, started_by=actor)
    existing = Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=key)
    if org_unit is not None:
        # The whole subtree, whatever the status or track: the draft of someone who has left since
        # the last run goes away with the rest.
        existing = existing.filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
    # Lock the scope's proposals of the period before reading their states, so that the workflow
    # cannot move a draft into review between this read and the delete below (PostgreSQL; SQLite
    # already holds the database's write lock since BEGIN IMMEDIATE).
    # Streamed (a whole period's drafts would otherwise sit in a result cache); only the few in
    # the workflow are kept.
    in_review = {
        emp
        for emp, state in existing.select_for_update(of=("self",))
        .values_list("employee_id", "state")
        .iterator(chunk_size=BATCH_SIZE)
        if state not in REPLACEABLE_STATES
    }
    # A raw delete: drafts have no dependants (the workflow attaches steps only after a proposal
    # leaves draft), so Django's collector would only load every row for nothing. Should anything
    # reference one after all, the foreign key refuses and the whole run rolls back.
    # An employee with any proposal already in the workflow is left alone entirely, drafts
    # included (e.g. a draft next to a superseded one): a subquery, never a list of ids.
    taken = existing.exclude(state__in=REPLACEABLE_STATES).values("employee_id")
    replaced = existing.filter(state__in=REPLACEABLE_STATES).exclude(employee_id__in=taken)
    replaced._raw_delete(replaced.db)

    counts = dict.fromkeys(MOVES, 0)
    kept = 0
    writer = _ProposalWriter(run)
    narrower = _narrower_books(org_unit, books)
    invalid, managers = [], []
    # The progress bar's total: everyone the chunks will read (managers and problems included).
    total = Employee.objects.filter(ladder_scope_filter(org_unit=org_unit)).count()
    report("测评", 0, total)
    # Parsed before any row is written: no query may run while the writer streams (PostgreSQL).
    own_books = {b.pk: parsed_rulebook(b) for b in {b.pk: b for b in narrower.values()}.values()}
    done, next_report = 0, BATCH_SIZE
    # Read aside (PostgreSQL): the facts come from a thread one chunk ahead, on a connection with
    # this transaction's snapshot, and the outcomes stream into one COPY for the whole run, stored
    # by the server meanwhile; the progress then goes through its own connection (core.jobs.progress)
    # or none. On one connection the COPY is ended before each chunk's read and before each report.
    chunks = partial(ladder_fact_chunks, period=period, org_unit=org_unit)
    alias = router.db_for_write(Proposal)
    with read_aside(lambda reader: chunks(reader=reader), alias) if aside else nullcontext(chunks()) as fact_chunks:
        try:
            for loaded in fact_chunks:
                invalid += loaded.invalid
                managers += loaded.managers
                done += len(loaded.invalid) + len(loaded.managers)
                for employee_id, facts in loaded.facts.items():
                    done += 1
                    if employee_id in in_review:
                        kept += 1
                        continue
                    own = narrower.get(employee_id)
                    if own is None or own.pk == book_row.pk:
                        outcome = evaluate(facts, period, book)
                        writer.add(employee_id, outcome)
                    else:
                        outcome = evaluate(facts, period, own_books[own.pk])
                        writer.add(employee_id, outcome, rulebook_id=own.pk)
                    counts[outcome.move] += 1
                    if done >= next_report:
                        next_report = done + BATCH_SIZE
                        if not aside:
                            writer.flush()
                        report("测评", done, total)
                if not aside:
                    writer.flush()
                del loaded  # its facts let go before the next chunk is read
            writer.flush()
        except BaseException as error:
            writer.abort(error)
            raise
    report("测评", total, total)

    run.counts = counts
    run.kept = kept
    # Chunks come by employee id; the lists people read are by 工号.
    run.problems = [{"employee_no": no, "message": message} for _, no, message in sorted(invalid, key=_by_no)]
    run.managers = [{"employee_no": no, "post": post} for _, no, post in sorted(managers, key=_by_no)]
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "kept", "problems", "managers", "finished_at"])
    return run
