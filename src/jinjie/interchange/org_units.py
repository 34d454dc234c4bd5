"""The org_units file (SPEC 6): plan and write units, keyed by their path, parents first.

Units are not records of an employee, so they have their own planner with the interface the
import service drives (add / check / flush, counts, errors). A bureau has tens to a few thousand
units: the planner loads every stored unit once (one query) and keeps the file's rows until the
end, because whether a code is unique depends on the whole file (two units may swap codes).

Writing is a handful of statements whatever the file size: the codes that change are cleared
first (so a swap never meets the unique constraint half-way), new units are inserted one tree
level at a time (a child needs its parent's id: one INSERT and one SELECT a level), then the
updates and their RecordRevision rows, each one executemany.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from jinjie.org.models import PATH_SEP, OrgKind, OrgUnit
from jinjie.people.models import RecordRevision

from .bulk import insert_rows, update_rows
from .kinds import Kind
from .report import RowError, short_value
from .validate import HeaderMap, ParsedRow

KIND_LABELS = dict(OrgKind.choices)


def parent_path(path: str) -> str:
    return path.rpartition(PATH_SEP)[0]


@dataclass
class _Stored:
    pk: int
    kind: str
    code: str


@dataclass
class _Update:
    pk: int
    path: str
    fields: dict[str, Any]  # kind/code as written
    old: dict[str, Any]  # the replaced values, for RecordRevision (类型 by its label)
    new: dict[str, Any]


@dataclass
class OrgUnitPlanner:
    kind: Kind
    header: HeaderMap
    scope_path: str | None  # None: sees everything
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.present = self.header.present
        self.stored = {
            path: _Stored(pk, kind, code)
            for pk, path, kind, code in OrgUnit.objects.values_list("pk", "path", "kind", "code")
        }
        self._seen: set[str] = set()  # every path of the file so far, good rows and bad
        self._rows: dict[str, ParsedRow] = {}  # the good rows, by path

    # -- the interface services._validate drives ---------------------------------------------

    def add(self, parsed: ParsedRow) -> None:
        path = parsed.values["path"]
        parent = parent_path(path)
        ok = True
        if not self._in_scope(path):
            self._error(parsed, "path", f"该单位不在您的管理范围内（{self.scope_path}）")
            ok = False
        elif parent and parent not in self.stored and parent not in self._seen:
            self._error(parsed, "path", f"上级单位「{short_value(parent, 40)}」不存在：请先导入它，或在本文件中把它放在前面")
            ok = False
        self._seen.add(path)
        if ok:
            self._rows[path] = parsed

    def check(self, parsed: ParsedRow) -> None:
        """A row with errors: its path still counts as "earlier in the file" for its children,
        so that one bad parent is reported once, not once more for every unit below it."""
        if "path" in parsed.values:
            self._seen.add(parsed.values["path"])

    def flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, {}
        codes = self._final_codes(rows)
        self._refuse_shared_codes(rows, codes)
        if self.errors:
            return
        for path, parsed in rows.items():
            self._plan(path, parsed)

    # -- planning ---------------------------------------------------------------------------

    def _in_scope(self, path: str) -> bool:
        scope = self.scope_path
        return scope is None or path == scope or path.startswith(scope + PATH_SEP)

    def _error(self, parsed: ParsedRow, key: str, reason: str) -> None:
        value = parsed.values.get(key)
        self.errors.append(RowError(parsed.row, self.header.label(self.kind, key), short_value(value), reason))

    def _final_codes(self, rows: dict[str, ParsedRow]) -> dict[str, str]:
        """Every unit's code once the file is written: stored, or as the file gives it."""
        codes = {path: unit.code for path, unit in self.stored.items()}
        if "code" in self.present:
            codes.update((path, parsed.values["code"]) for path, parsed in rows.items())
        return codes

    def _refuse_shared_codes(self, rows: dict[str, ParsedRow], codes: dict[str, str]) -> None:
        holders: dict[str, list[str]] = defaultdict(list)
        for path, code in codes.items():
            if code:
                holders[code].append(path)
        for code, paths in holders.items():
            if len(paths) < 2:
                continue
            for path in paths:
                if path in rows and "code" in self.present:
                    others = "、".join(short_value(p, 40) for p in paths if p != path)
                    self._error(rows[path], "code", f"编码「{code}」与单位「{others}」重复")

    def _plan(self, path: str, parsed: ParsedRow) -> None:
        values = parsed.values
        unit = self.stored.get(path)
        if unit is None:
            self.creates.append(
                {
                    "name": path.rpartition(PATH_SEP)[2],
                    "path": path,
                    "depth": path.count(PATH_SEP),
                    "kind": values["kind"],
                    "code": values.get("code", ""),
                }
            )
            self.created += 1
            return
        written: dict[str, Any] = {}
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for key in ("kind", "code"):
            if key not in self.present:
                continue
            current = getattr(unit, key)
            written[key] = values[key]
            if values[key] != current:
                shown = KIND_LABELS.get if key == "kind" else (lambda v: v)
                old[key], new[key] = shown(current), shown(values[key])
        if not new:
            self.unchanged += 1
            return
        self.updates.append(_Update(unit.pk, path, written, old, new))
        self.updated += 1


def apply_org_units(
    planner: OrgUnitPlanner,
    *,
    filename: str,
    actor=None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    """Write the plan; called inside the import's one transaction (services.import_file)."""
    recoded = [(u.pk, {"code": ""}) for u in planner.updates if "code" in u.new]
    update_rows(OrgUnit, ["code"], recoded)
    _insert_by_level(planner.creates, {path: unit.pk for path, unit in planner.stored.items()})
    fields = [key for key in ("kind", "code") if key in planner.present]
    update_rows(OrgUnit, fields, [(u.pk, u.fields) for u in planner.updates])
    insert_rows(
        RecordRevision,
        [
            {"kind": planner.kind.name, "record_key": u.path[:300], "old_values": u.old, "new_values": u.new}
            for u in planner.updates
        ],
        source=filename[:300],
        changed_by=actor,
    )
    if progress:
        done = planner.created + planner.updated
        progress("写入", done, done)


def _insert_by_level(creates: list[dict[str, Any]], ids: dict[str, int]) -> None:
    """Insert new units a tree level at a time, each with its parent's id (stored or just made)."""
    by_depth: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for unit in creates:
        by_depth[unit["depth"]].append(unit)
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for unit in level:
            parent = parent_path(unit["path"])
            unit["parent_id"] = ids[parent] if parent else None
        insert_rows(OrgUnit, level)
        ids.update(OrgUnit.objects.filter(depth=depth).values_list("path", "pk"))


def org_unit_rows(units: QuerySet[OrgUnit]) -> list[tuple[str, str, str]]:
    """(path, 类型, code) of every unit, parents before children: the order the import needs.

    Sorted by the path's names, not by the database's collation (which may ignore the /), so a
    unit always follows its parent and the units under one parent stay together."""
    rows = [(path, KIND_LABELS.get(kind, kind), code) for path, kind, code in units.values_list("path", "kind", "code")]
    rows.sort(key=lambda row: row[0].split(PATH_SEP))
    return rows
