"""From validated rows to a write plan: create, update (with the replaced values) or leave alone.

Rows arrive in file order and are planned in batches of BATCH: one batch costs a few queries
(employees by 工号, stored records by employee id, chunked for SQLite's 999-parameter limit),
never a query per row. Planned operations go to a temporary spool file (pickled per batch), so
memory holds one batch of rows however large the file; writing replays the spool (apply.py).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from jinjie.assessments.schemes import SchemesInForce, scheme_track
from jinjie.core.values import to_json
from jinjie.org.models import PATH_SEP, OrgUnit
from jinjie.people.idcard import mask_id_number
from jinjie.people.models import Employee, RankChange
from jinjie.rules.scheme import check_items

from .fields import MaskedIdNumber
from .kinds import RANK_HISTORY_CONFLICT, Kind
from .report import RowError, short_value
from .validate import HeaderMap, ParsedRow

BATCH = 2000
IN_CHUNK = 900  # SQLite allows 999 parameters per statement; keep room for the other filters
__all__ = ["RANK_HISTORY_CONFLICT", "Planner", "Spool"]


def chunks(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _employees_numbered(numbers: list[str]) -> list[tuple[str, int, str, str]]:
    """(工号, id, unit path, 序列) of the employees with these numbers: one statement, the numbers as
    its parameters. What Employee.objects.filter(employee_no__in=…).values_list(…) reads (plain
    text and integers, nothing to convert), without the ORM preparing each of the values in Python,
    which profiled at a sixth of importing a file of records (2026-12-02, 10,000 rows)."""
    if not numbers:
        return []
    employee, unit = Employee._meta, OrgUnit._meta

    def e(name: str) -> str:
        return "e." + connection.ops.quote_name(employee.get_field(name).column)

    def u(name: str) -> str:
        return "u." + connection.ops.quote_name(unit.get_field(name).column)

    sql = (
        f"SELECT {e('employee_no')}, {e('id')}, {u('path')}, {e('track')} "
        f"FROM {connection.ops.quote_name(employee.db_table)} e "
        f"JOIN {connection.ops.quote_name(unit.db_table)} u ON {u('id')} = {e('org_unit')} "
    )
    if connection.vendor == "postgresql":
        # One array parameter: psycopg would otherwise rewrite a statement of 900 placeholders,
        # which profiled at a third of a PostgreSQL import's planning (2026-12-02, 100,000 rows).
        sql += f"WHERE {e('employee_no')} = ANY(%s)"
        params: list = [list(numbers)]
    else:
        sql += f"WHERE {e('employee_no')} IN ({', '.join(['%s'] * len(numbers))})"
        params = list(numbers)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Update:
    pk: int
    employee_id: int
    record_key: str
    fields: dict[str, Any]  # every written attribute of this kind's update, new values
    old: dict[str, Any]  # the replaced values (JSON), for RecordRevision
    new: dict[str, Any]


@dataclass
class Batch:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    # employees: rank changes of stored employees (employee_id, from, to, effective_date)
    rank_changes: list[tuple[int, str, str, date]] = field(default_factory=list)


class Spool:
    """Planned batches, pickled to a temporary file: replayed once, in order, by the writer."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self.batches = 0

    def put(self, batch: Batch) -> None:
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def __iter__(self) -> Iterator[Batch]:
        self._file.seek(0)
        for _ in range(self.batches):
            yield pickle.load(self._file)  # noqa: S301 - our own temporary file, written just above

    def close(self) -> None:
        self._file.close()


class Planner:
    """Classifies parsed rows against the stored data, batch by batch, and spools what to write."""

    def __init__(
        self,
        kind: Kind,
        header: HeaderMap,
        *,
        org_paths: dict[str, int],
        scope_path: str | None,
        today: date,
        spool: Spool | None,
    ):
        self.kind = kind
        self.header = header
        self.org_paths = org_paths
        self.org_names = {pk: path for path, pk in org_paths.items()}
        self.scope_path = scope_path  # None: sees everything
        self.today = today
        self.spool = spool
        self.present = header.present
        self.fields = [c for c in kind.columns if c.key in self.present and c.key not in kind.key]
        self.created = self.updated = self.unchanged = 0
        self.errors: list[RowError] = []
        self.employee_ids: dict[str, int | None] = {}
        self.employee_tracks: dict[int, str] = {}
        # Scores: the schemes in force, loaded once per import (SPEC 5 item checks).
        self.schemes = SchemesInForce() if kind.name == "scores" and header.items else None
        # rank_history: the latest new change per employee, which may move the current rank.
        self.latest_changes: dict[int, tuple[date, str]] = {}
        self._pending: list[ParsedRow] = []
        self._checks: list[ParsedRow] = []

    # -- public -----------------------------------------------------------------------------

    def add(self, parsed: ParsedRow) -> None:
        self._pending.append(parsed)
        if len(self._pending) + len(self._checks) >= BATCH:
            self.flush()

    def check(self, parsed: ParsedRow) -> None:
        """A row that will not be written (it has errors): only look its 工号 up, to report that too."""
        if not self.kind.is_employees and "employee_no" in parsed.values:
            self._checks.append(parsed)
            if len(self._pending) + len(self._checks) >= BATCH:
                self.flush()

    def flush(self) -> None:
        checks, self._checks = self._checks, []
        if checks:
            self._resolve_employees({r.values["employee_no"] for r in checks})
            for parsed in checks:
                if self.employee_ids[parsed.values["employee_no"]] is None:
                    self._unknown_employee(parsed)
        rows, self._pending = self._pending, []
        if not rows:
            return
        batch = self._plan_employees(rows) if self.kind.is_employees else self._plan_records(rows)
        if self.spool is not None and (batch.creates or batch.updates or batch.rank_changes):
            self.spool.put(batch)

    @property
    def update_attnames(self) -> list[str]:
        names = [c.attname for c in self.fields]
        if self.header.items:
            names.append("items")
        if self.kind.is_employees:
            if "current_rank" in self.present and "rank_since" not in names:
                names.append("rank_since")  # a rank change moves rank_since too
            names.append("updated_at")
        return names

    # -- helpers ----------------------------------------------------------------------------

    def _error(self, parsed: ParsedRow, key: str, reason: str, value: Any = None) -> None:
        value = parsed.values.get(key) if value is None else value
        self.errors.append(
            RowError(parsed.row, self.header.label(self.kind, key), short_value(to_json(value)), reason)
        )

    def _unknown_employee(self, parsed: ParsedRow) -> None:
        reason = "工号不存在" if self.scope_path is None else "工号不存在或不在您的管理范围内"
        self._error(parsed, "employee_no", reason)

    def _in_scope(self, path: str) -> bool:
        return (
            self.scope_path is None or path == self.scope_path or path.startswith(self.scope_path + PATH_SEP)
        )

    def _record_key(self, parsed: ParsedRow) -> str:
        by_key = self.kind.by_key
        return "|".join(str(to_json(parsed.values.get(k, by_key[k].empty))) for k in self.kind.key)[:300]

    def _resolve_employees(self, numbers: set[str]) -> None:
        missing = [n for n in numbers if n not in self.employee_ids]
        # SQLite: at most 999 parameters a statement; PostgreSQL: one array, any length.
        for chunk in [missing] if connection.vendor == "postgresql" else chunks(missing):
            for number, pk, path, track in _employees_numbered(chunk):
                self.employee_ids[number] = pk if self._in_scope(path) else None
                self.employee_tracks[pk] = track
        for number in missing:
            self.employee_ids.setdefault(number, None)

    def _diff(self, values: dict[str, Any], stored: dict[str, Any]) -> tuple[dict, dict, dict]:
        """(all written fields, replaced values, new values) of one stored record."""
        written: dict[str, Any] = {}
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for column in self.fields:
            value = values[column.key]
            current = stored[column.attname]
            if value is None and column.blank_keeps:
                value = current
            if column.attname == "org_unit_id":
                value = self.org_paths[value]
            written[column.attname] = value
            if value != current:
                if column.attname == "org_unit_id":
                    old[column.key], new[column.key] = self.org_names.get(current), self.org_names.get(value)
                else:
                    old[column.key], new[column.key] = to_json(current), to_json(value)
        return written, old, new

    # -- records of employees (scores, training, …, rank_history) ---------------------------

    def _plan_records(self, rows: list[ParsedRow]) -> Batch:
        kind, batch = self.kind, Batch()
        self._resolve_employees({r.values["employee_no"] for r in rows})
        known: list[ParsedRow] = []
        for parsed in rows:
            if self.employee_ids[parsed.values["employee_no"]] is None:
                self._unknown_employee(parsed)
            else:
                known.append(parsed)
        stored = self._stored_records(known)
        other_keys = kind.key[1:]
        key_attnames = [kind.by_key[k].attname for k in other_keys]
        field_names = [(column.attname, column.key) for column in self.fields]
        for parsed in known:
            employee_id = self.employee_ids[parsed.values["employee_no"]]
            if kind.name == "scores" and not self._score_checked(parsed, employee_id):
                continue
            if parsed.key is None:
                parsed.key = (None, *(parsed.values.get(k, kind.by_key[k].empty) for k in other_keys))
            key = (employee_id, *parsed.key[1:])
            record = stored.get(key)
            if record is None:
                values = dict(zip(key_attnames, parsed.key[1:], strict=True))
                values["employee_id"] = employee_id
                for attname, name in field_names:
                    values[attname] = parsed.values[name]
                if parsed.items is not None:
                    values["items"] = parsed.items
                batch.creates.append(values)
                self.created += 1
                if kind.append_only:
                    latest = self.latest_changes.get(employee_id)
                    effective = parsed.values["effective_date"]
                    if latest is None or effective > latest[0]:
                        self.latest_changes[employee_id] = (effective, parsed.values["to_rank"])
                continue
            written, old, new = self._diff(parsed.values, record)
            if parsed.items is not None:
                written["items"] = parsed.items
                if parsed.items != record["items"]:
                    old["items"], new["items"] = record["items"], parsed.items
            if not new:
                self.unchanged += 1
            elif kind.refuse_update:
                self._error(parsed, kind.key[-1], kind.refuse_update)
            else:
                batch.updates.append(
                    Update(record["pk"], employee_id, self._record_key(parsed), written, old, new)
                )
                self.updated += 1
        return batch

    def _score_checked(self, parsed: ParsedRow, employee_id: int) -> bool:
        """SPEC 5: a score row's items against the scheme in force for its month and the employee's
        track; an empty score becomes the items' sum. False (errors recorded) when the row is refused."""
        items = parsed.items or {}
        score = parsed.values.get("score")
        if not items:
            if score is None:
                self._error(parsed, "score", "必填，不能为空（未填写分项时须填写考核得分）", value="")
                return False
            return True
        month = parsed.values["month"]
        track = self.employee_tracks[employee_id]
        year, mon = (int(x) for x in month.split("-"))
        scheme = self.schemes.on(scheme_track(track), date(year, mon, 1)) if self.schemes else None
        if scheme is None:
            self._error(parsed, "employee_no", f"{month} 没有生效的{track}考核方案，不能导入分项得分")
            return False
        total, errors = check_items(scheme, {k: Decimal(str(v)) for k, v in items.items()}, score)
        for column, reason in errors:
            if column == "score":
                self._error(parsed, "score", reason, value="" if score is None else score)
            else:
                self.errors.append(RowError(parsed.row, column, short_value(to_json(items.get(column, ""))), reason))
        if errors:
            return False
        parsed.values["score"] = total
        return True

    def _stored_records(self, rows: list[ParsedRow]) -> dict[tuple, dict[str, Any]]:
        if not rows:
            return {}
        kind = self.kind
        other = [kind.by_key[k].attname for k in kind.key[1:]]
        columns = ["pk", "employee_id", *other, *(c.attname for c in self.fields)]
        if self.header.items:
            columns.append("items")
        ids = sorted({self.employee_ids[r.values["employee_no"]] for r in rows})
        narrow: dict[str, list] = {}
        chunk_size = IN_CHUNK
        if kind.narrow:
            wanted = sorted({r.values[kind.narrow] for r in rows})
            if len(wanted) <= IN_CHUNK // 3:
                narrow = {f"{kind.by_key[kind.narrow].attname}__in": wanted}
                chunk_size = IN_CHUNK - len(wanted)
        if ids[-1] - ids[0] < 2 * len(ids):
            # Rows in file order usually name employees of neighbouring ids: one range, which reads
            # at most twice the employees wanted, costs less than IN lists of 900 ids to prepare.
            filters = [{"employee_id__gte": ids[0], "employee_id__lte": ids[-1]}]
        else:
            filters = [{"employee_id__in": chunk} for chunk in chunks(ids, chunk_size)]
        wanted = set(ids)
        stored: dict[tuple, dict[str, Any]] = {}
        for where in filters:
            for record in kind.model.objects.filter(**where, **narrow).values(*columns):
                if record["employee_id"] in wanted:
                    stored[(record["employee_id"], *(record[a] for a in other))] = record
        return stored

    # -- employees --------------------------------------------------------------------------

    def _plan_employees(self, rows: list[ParsedRow]) -> Batch:
        batch = Batch()
        attnames = ["pk", "employee_no", "current_rank", "rank_since", "org_unit__path"]
        attnames += [c.attname for c in self.fields if c.attname not in attnames]
        stored: dict[str, dict[str, Any]] = {}
        for chunk in chunks([r.values["employee_no"] for r in rows]):
            for record in Employee.objects.filter(employee_no__in=chunk).values(*attnames):
                stored[record["employee_no"]] = record
        changes: list[tuple[ParsedRow, int, date]] = []
        create_names = [(c.attname, c.key) for c in self.fields]
        for parsed in rows:
            values = parsed.values
            record = stored.get(values["employee_no"])
            if not self._in_scope(values["org_unit"]):
                self._error(parsed, "org_unit", "该单位不在您的管理范围内")
                continue
            masked = values.get("id_number")
            if isinstance(masked, MaskedIdNumber):
                # An exported file shows numbers masked; handed back unchanged, the stored one stays.
                if record is None or mask_id_number(record["id_number"]) != masked.text:
                    what = "新员工须填写完整号码" if record is None else "与已存的号码不符"
                    self._error(parsed, "id_number", f"身份证号为脱敏号码，{what}", masked.text)
                    continue
                values = {**values, "id_number": record["id_number"]}
            if record is None:
                create = {attname: values[key] for attname, key in create_names if values[key] is not None}
                create["employee_no"] = values["employee_no"]
                create["org_unit_id"] = self.org_paths[values["org_unit"]]
                batch.creates.append(create)
                self.created += 1
                continue
            if not self._in_scope(record["org_unit__path"]):
                self._error(parsed, "employee_no", "该员工不在您的管理范围内")
                continue
            written, old, new = self._diff(values, record)
            if "current_rank" in self.present:
                written.setdefault("rank_since", record["rank_since"])
            if "current_rank" in new:
                effective = values.get("rank_since") or self.today
                if written.get("rank_since") != effective:
                    old.setdefault("rank_since", to_json(record["rank_since"]))
                    new["rank_since"] = to_json(effective)
                written["rank_since"] = effective
                changes.append((parsed, record["pk"], effective))
                batch.rank_changes.append(
                    (record["pk"], record["current_rank"], written["current_rank"], effective)
                )
            if not new:
                self.unchanged += 1
                continue
            batch.updates.append(Update(record["pk"], record["pk"], values["employee_no"], written, old, new))
            self.updated += 1
        self._refuse_clashing_rank_changes(changes, batch)
        return batch

    def _refuse_clashing_rank_changes(self, changes: list[tuple[ParsedRow, int, date]], batch: Batch) -> None:
        """A rank change on a date that already has one would break RankChange's unique key."""
        if not changes:
            return
        taken: set[tuple[int, date]] = set()
        ids = sorted({pk for _, pk, _ in changes})
        dates = sorted({d for _, _, d in changes})
        for chunk in chunks(ids, IN_CHUNK - min(len(dates), IN_CHUNK // 3)):
            query = RankChange.objects.filter(employee_id__in=chunk)
            if len(dates) <= IN_CHUNK // 3:
                query = query.filter(effective_date__in=dates)
            taken.update(query.values_list("employee_id", "effective_date"))
        clashing = {(pk, d) for _, pk, d in changes if (pk, d) in taken}
        for parsed, pk, effective in changes:
            if (pk, effective) in clashing:
                key = "rank_since" if "rank_since" in self.present else "current_rank"
                self._error(
                    parsed,
                    key,
                    f"该员工在 {effective.isoformat()} 已有职级变动记录；职级变化时请填写新的现职级起始日期",
                )
        if clashing:
            batch.rank_changes = [c for c in batch.rank_changes if (c[0], c[3]) not in clashing]
