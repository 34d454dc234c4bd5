"""Import and export of the SPEC 6 files: the entry points for the command line and the web.

import_file validates every row first (streaming, batch by batch), writes nothing if any row is
bad, and otherwise writes everything in one transaction. export_kind writes what is stored in the
format import_file reads, so export → edit → import works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jinjie.core.append_only import AppendOnlyError
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.core.statistics import analyze_tables
from jinjie.core.values import to_json
from jinjie.org import authority
from jinjie.org.models import OrgUnit, Role
from jinjie.org.scoping import scope_employees, visible_org_units
from jinjie.org.services import logins_of_departed_deactivate
from jinjie.people.idcard import mask_id_number
from jinjie.people.models import Employee, PiiAccessLog

from .apply import apply_plan
from .kinds import kind_named
from .org_units import OrgUnitPlanner, apply_org_units, org_unit_rows
from .plan import Planner, Spool
from .readers import FileRefused, open_table
from .report import RowError, short_value
from .selections import SelectionScoresPlanner, apply_selection_scores, selection_score_rows
from .validate import RowParser, map_header
from .writers import write_table

Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 2000


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        verb = "将新增" if self.dry_run else "新增"
        counts = f"{verb} {self.created} 条，{'将更新' if self.dry_run else '更新'} {self.updated} 条，未变 {self.unchanged} 条"
        if not self.ok:
            return f"{self.filename}：共 {self.rows} 行数据，{len(self.errors)} 处错误，未写入任何数据"
        if self.dry_run:
            return f"{self.filename}：校验通过（试运行，未写入）。共 {self.rows} 行，{counts}"
        return f"{self.filename}：导入完成。共 {self.rows} 行，{counts}"


def _scope_path(actor) -> str | None:
    """The org subtree an actor may import into (None: everything); refused if they have none."""
    if actor is None or actor.is_superuser:
        return None
    if actor.role == Role.EMPLOYEE or actor.org_unit_id is None:
        raise PermissionError("您的账号没有可管理的单位，不能导入数据")
    return actor.org_unit.path


def import_file(
    *,
    kind: str,
    path_or_fileobj: str | Path | IO[bytes],
    filename: str | None = None,
    dry_run: bool = False,
    actor=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one SPEC 6 file. Never raises for bad input: problems come back in `errors`.

    `actor` (None: the command line's operator) must hold the kind's import right (org.authority:
    HR every kind, 督察考评中心 the assessment data) — else NotPermitted; each row must be about an
    employee or unit inside the actor's subtree, and never about the actor themself (回避).
    """
    spec = kind_named(kind)
    if actor is not None:
        authority.require(actor, authority.import_action(spec.name))
    name = filename or (Path(path_or_fileobj).name if isinstance(path_or_fileobj, str | Path) else "")
    name = name or getattr(path_or_fileobj, "name", "") or "上传文件"
    result = ImportResult(kind=spec.name, filename=Path(name).name, dry_run=dry_run)
    try:
        scope_path = _scope_path(actor)
        table = open_table(path_or_fileobj, result.filename)
    except (FileRefused, PermissionError) as exc:
        result.errors.append(RowError(None, "", "", str(exc)))
        return result
    spool = None if dry_run else Spool()
    try:
        with table:
            planner = _validate(
                spec, table, result, scope_path=scope_path, spool=spool, progress=progress, actor=actor,
                own_number=_own_number(actor),
            )
        if planner is None or not result.ok or dry_run:
            return result
        if isinstance(planner, OrgUnitPlanner):
            write = apply_org_units
        elif isinstance(planner, SelectionScoresPlanner):
            write = apply_selection_scores
        else:
            write = apply_plan
        try:
            with transaction.atomic():
                write(planner, filename=result.filename, actor=actor, progress=progress)
                if spec.is_employees:
                    logins_of_departed_deactivate()  # 离岗 staff lose their login at once
            analyze_tables(spec.model._meta.db_table)
        except (DatabaseError, AppendOnlyError, DomainError) as exc:
            # Only a concurrent change between validation and writing gets here; the transaction
            # has rolled back, so the rule "nothing written" still holds.
            result.errors.append(
                RowError(None, "", "", f"写入时数据库拒绝（数据可能在校验后被修改），未写入任何数据：{exc}")
            )
        return result
    finally:
        if spool is not None:
            spool.close()


def _own_number(actor) -> str | None:
    """The 工号 an importer may not import data about (回避), if their login is tied to an employee."""
    if actor is None or actor.employee_id is None:
        return None
    return Employee.objects.filter(pk=actor.employee_id).values_list("employee_no", flat=True).first()


def _validate(
    spec, table, result: ImportResult, *, scope_path, spool, progress, actor=None, own_number: str | None = None
) -> Planner | OrgUnitPlanner | SelectionScoresPlanner | None:
    header, header_errors = map_header(spec, table.header)
    if header_errors:
        result.errors.extend(header_errors)
        return None
    org_paths = dict(OrgUnit.objects.values_list("path", "pk")) if spec.is_employees else {}
    if spec.model is OrgUnit:
        planner = OrgUnitPlanner(spec, header, scope_path)
    elif spec.name == "selection_scores":
        planner = SelectionScoresPlanner(spec, header, actor)
    else:
        planner = Planner(
            spec, header, org_paths=org_paths, scope_path=scope_path, today=timezone.localdate(), spool=spool
        )
    parser = RowParser(spec, header, org_paths)
    key_labels = "+".join(header.label(spec, k) for k in spec.key if k in header.written)
    first_row: dict[str, int] = {}
    total = table.estimated_rows() if progress else None
    errors = result.errors
    try:
        for number, cells in table.rows():
            result.rows += 1
            parsed, row_errors = parser.parse(number, cells)
            key = parsed.key = parser.complete_key(parsed)
            if key is not None:
                first = first_row.setdefault("\x1f".join([str(k) for k in key]), number)
                if first != number:
                    shown = short_value(" / ".join(str(to_json(k)) for k in key if k != ""))
                    row_errors.append(
                        RowError(number, key_labels, shown, f"与第 {first} 行重复（{key_labels}相同）")
                    )
            if own_number is not None and parsed.values.get("employee_no") == own_number:
                label = header.label(spec, "employee_no")
                row_errors.append(RowError(number, label, own_number, "回避：不能导入或修改本人的数据"))
            if row_errors:
                errors.extend(row_errors)
                planner.check(parsed)  # still report an unknown 工号 on this row
            else:
                planner.add(parsed)
            if progress and result.rows % PROGRESS_EVERY == 0:
                progress("校验", result.rows, total)
        planner.flush()
    except FileRefused as exc:
        errors.append(RowError(None, "", "", str(exc)))
        return None
    if progress:
        progress("校验", result.rows, result.rows)
    if result.rows == 0:
        errors.append(RowError(None, "", "", "文件中没有数据行"))
    errors.extend(planner.errors)
    errors.sort(key=lambda e: e.sort_key)
    result.created, result.updated, result.unchanged = planner.created, planner.updated, planner.unchanged
    return planner


def export_kind(
    *,
    kind: str,
    path: str | Path | IO[bytes],
    fmt: str | None = None,
    actor=None,
    reveal_id_numbers: bool = False,
    purpose: str = "导出员工数据",
    employees: QuerySet | None = None,
) -> int:
    """Write every stored record of `kind` (within the actor's scope, if given) to a CSV/XLSX file.

    Same headers (Chinese labels), same column order, dates YYYY-MM-DD; for scores, one column per
    item name after 考核得分; org units parents first. Returns the number of rows written.

    `actor` (None: the command line's operator) must hold the kind's export right. 身份证号 are
    masked (110105********002X — an import of the file keeps the stored numbers) unless
    `reveal_id_numbers`, which needs a named actor holding employees.reveal_id and writes one
    PiiAccessLog row per exported employee, like the web page's logged reveal.

    `employees`: only these employees (or their records) — a page's filtered list; the actor's
    scope still applies.
    """
    spec = kind_named(kind)
    if actor is not None:
        authority.require(actor, f"export.{spec.name}")
    if reveal_id_numbers:
        if actor is None:
            raise NotPermitted("导出完整身份证号须指明查看人（--as 用户名），并由人事劳资办理")
        authority.require(actor, "employees.reveal_id")
    if spec.model is OrgUnit:
        units = OrgUnit.objects.all() if actor is None else visible_org_units(actor)
        return write_table(path, spec.headers, org_unit_rows(units), fmt=fmt, sheet_title=spec.label)
    if spec.name == "selection_scores":
        return write_table(path, spec.headers, selection_score_rows(actor), fmt=fmt, sheet_title=spec.label)
    queryset = spec.model.objects.all()
    if actor is not None:
        queryset = scope_employees(actor, queryset, prefix="" if spec.is_employees else "employee__")
    if employees is not None:
        wanted = employees.order_by().values("pk")
        queryset = queryset.filter(pk__in=wanted) if spec.is_employees else queryset.filter(employee__in=wanted)
    sources = [c.source for c in spec.columns]
    order = [spec.by_key[k].source for k in spec.key]
    item_names: list[str] = []
    if spec.items:
        seen: dict[str, None] = {}
        for items in queryset.values_list("items", flat=True).iterator(chunk_size=2000):
            for name in items or {}:
                seen.setdefault(name, None)
        item_names = list(seen)
        sources.append("items")
    if reveal_id_numbers and spec.is_employees:
        with transaction.atomic():
            _log_id_reveals(actor, queryset, purpose)
            return _write_rows(spec, queryset, sources, order, item_names, path, fmt, reveal=True)
    return _write_rows(spec, queryset, sources, order, item_names, path, fmt, reveal=False)


def _write_rows(spec, queryset, sources, order, item_names, path, fmt, *, reveal: bool) -> int:
    rows = queryset.order_by(*order).values_list(*sources).iterator(chunk_size=2000)
    if "id_number" in sources and not reveal:
        at = sources.index("id_number")
        rows = ((*r[:at], mask_id_number(r[at]), *r[at + 1 :]) for r in rows)
    if item_names:
        rows = ((*r[:-1], *((r[-1] or {}).get(n) for n in item_names)) for r in rows)
    return write_table(path, spec.headers + item_names, rows, fmt=fmt, sheet_title=spec.label)


def _log_id_reveals(actor, employees, purpose: str) -> None:
    """One PiiAccessLog row per employee whose full number leaves in the file (bulk, in batches)."""
    batch: list[PiiAccessLog] = []
    for pk in employees.values_list("pk", flat=True).iterator(chunk_size=2000):
        batch.append(PiiAccessLog(user=actor, employee_id=pk, field="id_number", purpose=purpose[:200]))
        if len(batch) >= 2000:
            PiiAccessLog.objects.bulk_create(batch)
            batch = []
    PiiAccessLog.objects.bulk_create(batch)
