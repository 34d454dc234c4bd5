"""The proposals and qualifications exports (SPEC 7: `jinjie export proposals|qualifications`).

Their columns are a contract other tools read: English header keys, in this order, move codes as in
SPEC 7, 1/0 flags. Files go through interchange's shared writer: CSV is UTF-8 with a BOM (Excel reads the Chinese), XLSX
one sheet, and cells a spreadsheet would run as formulas start with a quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.evaluations.qualify import monopoly_check_all
from jinjie.evaluations.services import EvaluationError, parse_period
from jinjie.org.models import OrgUnit
from jinjie.org.selectors import org_unit_by_path
from jinjie.rules.calendar import Period

from .writers import ExportFormatError, table_format, write_table

__all__ = [
    "FAVOUR_COLUMNS",
    "PROPOSAL_COLUMNS",
    "QUALIFICATION_COLUMNS",
    "export_proposal_list",
    "export_favour",
    "export_favour_list",
    "export_proposals",
    "export_qualifications",
    "export_survey_results",
    "export_talks",
]

PROPOSAL_COLUMNS = (
    "employee_no",
    "name",
    "org_unit",
    "track",
    "from_rank",
    "to_rank",
    "move",
    "route",
    "reassign",
    "reasons",
)
QUALIFICATION_COLUMNS = ("employee_no", "level", "qualified", "failed")

def _write(path: str | Path, header: Sequence[str], rows: Iterable[Sequence], sheet: str) -> int:
    """CSV or XLSX by the extension, through the shared writer (formula cells neutralised)."""
    try:
        table_format(path)
    except ExportFormatError as e:
        raise EvaluationError(str(e)) from None
    return write_table(path, header, rows, sheet_title=sheet)


def _proposal_rows(period: Period, org: OrgUnit | None) -> Iterable[tuple]:
    qs = Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=str(period)).exclude(
        state=ProposalState.SUPERSEDED
    )
    if org is not None:
        qs = qs.filter(org.subtree_filter(prefix="employee__org_unit__"))
    return _rows_of(qs.order_by("employee__employee_no", "id"))


def _rows_of(qs: QuerySet[Proposal]) -> Iterable[tuple]:
    rows = qs.values_list(
        "employee__employee_no",
        "employee__name",
        "employee__org_unit__path",
        "employee__track",
        "from_rank",
        "to_rank",
        "move",
        "route",
        "reassign",
        "reasons",
    )
    for no, name, unit, track, from_rank, to_rank, move, route, reassign, reasons in rows.iterator(chunk_size=2000):
        yield (
            no,
            name,
            unit,
            track,
            from_rank,
            to_rank,
            move,
            ">".join(route or ()),
            1 if reassign else 0,
            "；".join(r["text"] for r in reasons or ()),
        )


def export_proposals(*, period: Period | str, path: str | Path, org: str | OrgUnit | None = None) -> int:
    """Write the period's proposals (in `org`'s subtree when given) to `path`; returns the row count.

    `org` is a unit path ("省公司/市局") or an OrgUnit. Raises EvaluationError (Chinese) for a bad
    period, an unknown unit or a file name that is not .csv/.xlsx, before writing anything.
    """
    period = parse_period(period)
    unit = org_unit_by_path(org)
    return _write(path, PROPOSAL_COLUMNS, _proposal_rows(period, unit), "proposals")


def export_proposal_list(
    *, proposals: QuerySet[Proposal], path: str | Path | IO[bytes], fmt: str | None = None
) -> int:
    """Write a list of proposals the caller selected (a page's filtered, scoped list, in its order)
    in the columns of `jinjie export proposals`; returns the row count. `fmt` with a file object."""
    return write_table(path, PROPOSAL_COLUMNS, _rows_of(proposals), fmt=fmt, sheet_title="proposals")


def export_qualifications(*, level: str, as_of: date | None, path: str | Path) -> int:
    """One row per active 专卖管理员: qualified (1/0) for `level` at `as_of` (default today, Asia/Shanghai)."""
    as_of = as_of or timezone.localdate()
    # Check the extension before any work, so a typo costs nothing.
    try:
        table_format(path)
    except ExportFormatError as e:
        raise EvaluationError(str(e)) from None
    results = monopoly_check_all(level=level, as_of=as_of)
    rows = (
        (person.employee_no, level, 1 if q.met else 0, "；".join(r.body for r in q.failed))
        for person, q in results
    )
    return _write(path, QUALIFICATION_COLUMNS, rows, "qualifications")


# --- career talks (SPEC 5) and favour lists (SPEC 2.6, 7) ----------------------------------------

TALK_COLUMNS = (
    "employee_no", "name", "org_unit", "date", "participants", "topics", "agreed_actions", "follow_up",
    "acknowledged",
)
TALK_NOTE_COLUMN = "confidential_note"


def export_talks(*, views, path, fmt: str | None = None) -> int:
    """Talks as development.selectors.talks_for returned them for the viewer: the 保密 column is
    there only when the viewer may read every note it would hold (HR), and the notes come from the
    selector — never from the note table — so an export cannot show more than the page."""
    with_notes = bool(views) and all(v.may_read_note for v in views)
    header = TALK_COLUMNS + ((TALK_NOTE_COLUMN,) if with_notes else ())
    rows = []
    for v in views:
        t = v.talk
        row = (
            t.employee.employee_no, t.employee.name, t.employee.org_unit.path, t.date.isoformat(), t.participants,
            t.topics, "；".join(t.agreed_actions), t.follow_up.isoformat() if t.follow_up else "",
            1 if t.acknowledged_at else 0,
        )
        rows.append(row + ((v.note or "",) if with_notes else ()))
    return write_table(path, header, rows, fmt=fmt, sheet_title="talks")


SURVEY_COLUMNS = ("question", "kind", "breakdown", "group", "answers", "mean", "distribution", "note")


def export_survey_results(*, results, path, fmt: str | None = None) -> int:
    """The aggregates of development.selectors.surveys.survey_results — what the page shows, groups
    under the minimum size blank with the page's sentence; free text is not an aggregate and stays out."""
    from jinjie.development.selectors.surveys import SUPPRESSED

    rows = []
    for r in results:
        q = r.question
        for breakdown, cells in (("全部", [r.overall]), ("单位", r.by_unit), ("岗位序列", r.by_track)):
            for c in cells:
                distribution = "；".join(f"{label}:{n}" for label, n in c.distribution) if c.shown else ""
                rows.append((
                    q.text, q.get_kind_display(), breakdown, c.label, c.count if c.shown else "",
                    c.mean if c.shown and c.mean is not None else "", distribution, "" if c.shown else SUPPRESSED,
                ))
    return write_table(path, SURVEY_COLUMNS, rows, fmt=fmt, sheet_title="survey")


FAVOUR_COLUMNS = ("employee_no", "name", "org_unit", "track", "rank", "avg", "bonus", "score", "position", "excluded")


def _favour_row(r) -> tuple:
    return (r.employee_no, r.name, r.org_unit, r.track, r.rank, r.avg, r.bonus, r.score, r.position, r.excluded)


def export_favour_list(*, favour_list, path, fmt: str | None = None) -> int:
    """A stored list (drawn or frozen) exactly as the page shows it."""
    from jinjie.development.selectors.favour import favour_entries

    rows = (_favour_row(e) for e in favour_entries(favour_list=favour_list).iterator(chunk_size=2000))
    return write_table(path, FAVOUR_COLUMNS, rows, fmt=fmt, sheet_title="favour")


def export_favour(*, year, kind: str, path: str | Path, org: str | OrgUnit | None = None) -> int:
    """`jinjie export favour` (SPEC 7): the frozen list of that year, kind and unit when there is one
    (a frozen list never changes), else the list as it would be drawn now. An excluded row has empty
    avg/bonus/score/position and its reason in `excluded`."""
    from jinjie.development.favour import check_year_kind, favour_compute
    from jinjie.development.models import FavourList

    try:
        table_format(path)
    except ExportFormatError as e:
        raise EvaluationError(str(e)) from None
    year = check_year_kind(year, kind)
    unit = org_unit_by_path(org)
    frozen = FavourList.objects.filter(year=year, kind=kind, org_unit=unit, frozen_at__isnull=False).first() if unit else None
    if frozen is not None:
        return export_favour_list(favour_list=frozen, path=path)
    _, rows = favour_compute(year=year, kind=kind, org_unit=unit)
    return _write(path, FAVOUR_COLUMNS, (_favour_row(r) for r in rows), "favour")
