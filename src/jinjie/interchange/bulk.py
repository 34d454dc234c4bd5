"""Set-based INSERT and UPDATE for imports: one prepared statement, executemany over a batch.

Why not QuerySet.bulk_create / bulk_update here: measured on 20,000 employees (18 columns) they
spend ~80 µs a row building a model instance and compiling SQL value by value (SQLite's 999
parameters cap each INSERT at 55 employees, and bulk_update writes CASE WHEN per field); the same
rows prepared once through each field's own get_db_prep_save and sent with executemany take a
fraction of that. Values still go through Django's field conversion (dates, Decimal, JSON) and the
defaults and auto_now rules of the model, so what is stored is what bulk_create would store. No
save(), no signals: imports never had any (ARCHITECTURE: no domain flow in save() or signals).

Two short cuts, both measured on 100,000-row imports (bench/import_bench.py):
- A value that get_db_prep_save would hand back unchanged (a str for a CharField, an int for an
  integer or a foreign key, a bool, a finite Decimal, a date on PostgreSQL) is not sent through it:
  that call chain was the largest single cost of writing a row. Anything else still is.
- On PostgreSQL new rows go in with COPY … FROM STDIN (psycopg 3's cursor.copy) instead of a
  multi-row executemany: the same rows, the same transaction (the caller's atomic block, so an
  error still writes nothing), the same constraints and row triggers (COPY fires them), several
  times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

BATCH = 2000

# Field classes (exactly these, not subclasses, which may convert differently) whose
# get_db_prep_save returns a value of these classes as it is, on both databases.
_UNCHANGED: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.BooleanField: (bool,),
}


def _connection(model: type[models.Model]):
    return connections[router.db_for_write(model)]


def _insert_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _batches(rows: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _target(field: models.Field) -> models.Field:
    while field.is_relation and field.many_to_one:
        field = field.target_field
    return field


def _preparer(field: models.Field, connection) -> Callable[[Any], Any]:
    """field.get_db_prep_save(value, connection), short-cut where it would change nothing."""
    slow = partial(field.get_db_prep_save, connection=connection)
    target = _target(field)
    kind = type(target)
    if kind in (models.AutoField, models.BigAutoField, models.SmallAutoField):
        unchanged: tuple[type, ...] = (int,)
    elif kind is models.DecimalField:
        # A Decimal is unchanged if finite (to_python refuses NaN and infinities).
        def decimal(value: Any) -> Any:
            if value is None or (value.__class__ is Decimal and value.is_finite()):
                return value
            return slow(value)

        return decimal if connection.ops.adapt_decimalfield_value(Decimal(1)) == Decimal(1) else slow
    elif kind is models.DateField:
        if connection.ops.adapt_datefield_value(date(2000, 1, 1)) == date(2000, 1, 1):
            unchanged = (date,)  # PostgreSQL: the driver sends the date
        else:
            def iso(value: Any) -> Any:  # SQLite: str(value), the ISO date
                return value.isoformat() if value.__class__ is date else slow(value)

            return iso
    else:
        unchanged = _UNCHANGED.get(kind, ())
    if not unchanged or (target is not field and type(field).get_db_prep_save is not models.ForeignKey.get_db_prep_save):
        return slow

    def prepare(value: Any) -> Any:
        if value is None or value.__class__ in unchanged:
            return value
        return slow(value)

    return prepare


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], **common: Any) -> int:
    """INSERT `rows` (attname → value; missing attributes take the model default; `common` applies
    to every row). auto_now / auto_now_add fields get the current time."""
    if not rows:
        return 0
    connection = _connection(model)
    quote = connection.ops.quote_name
    fields = _insert_fields(model)
    now = timezone.now()
    fixed: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.attname] = now
        elif field.attname in common:
            fixed[field.attname] = common[field.attname]
        elif field.name in common:  # e.g. recorded_by=user
            value = common[field.name]
            fixed[field.attname] = value.pk if isinstance(value, models.Model) else value
    # Each row starts as the column defaults and fixed values, prepared once; then the row's own
    # attributes are prepared and put in place (a fixed value is never overridden by the row).
    template: list[Any] = []
    slots: dict[str, tuple[int, Callable[[Any], Any]]] = {}
    for at, field in enumerate(fields):
        prepare = _preparer(field, connection)
        if field.attname in fixed:
            template.append(prepare(fixed[field.attname]))
        else:
            # Every default of these models is a constant (or dict/list, whose prepared form is
            # the same text each time): prepared once, not per row.
            template.append(prepare(field.get_default()))
            slots[field.attname] = (at, prepare)
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    copy = connection.vendor == "postgresql"
    sql = (
        f"COPY {table} ({columns}) FROM STDIN"
        if copy
        else f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    )

    def values(row: dict[str, Any]) -> list[Any]:
        out = template.copy()
        for name, value in row.items():
            slot = slots.get(name)
            if slot is not None:  # other keys (none today) are not columns: ignored, as before
                out[slot[0]] = slot[1](value)
        return out

    with connection.cursor() as cursor:
        if copy:
            # cursor.copy is psycopg's own: Django's wrapper does not translate its errors, so
            # wrap them here (the import reports django.db.DatabaseError and rolls back).
            with connection.wrap_database_errors, cursor.copy(sql) as stream:
                write = stream.write_row
                for row in rows:
                    write(values(row))
        else:
            for batch in _batches(rows):
                cursor.executemany(sql, [values(row) for row in batch])
    return len(rows)


def update_rows(
    model: type[models.Model], attnames: list[str], rows: list[tuple[int, dict[str, Any]]]
) -> int:
    """UPDATE the given attributes of rows identified by primary key: [(pk, {attname: value})].

    PostgreSQL: the new values are COPYed into a temporary table of the same column types and
    applied with one UPDATE … FROM per batch (the same UPDATE, so the same constraints and
    triggers), instead of one UPDATE statement per row."""
    if not rows:
        return 0
    connection = _connection(model)
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [_by_attname(model, name) for name in attnames]
    prepares = [(f.attname, _preparer(f, connection)) for f in fields]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    if connection.vendor == "postgresql":
        return _update_by_copy(connection, table, pk, [quote(f.column) for f in fields], prepares, rows)
    sql = "UPDATE {} SET {} WHERE {} = %s".format(table, ", ".join(f"{quote(f.column)} = %s" for f in fields), pk)
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            params = [[*(prepare(values[name]) for name, prepare in prepares), key] for key, values in batch]
            cursor.executemany(sql, params)
    return len(rows)


def _update_by_copy(connection, table: str, pk: str, columns: list[str], prepares, rows) -> int:
    staging = connection.ops.quote_name("jinjie_import_update")
    listed = ", ".join([pk, *columns])
    assignments = ", ".join(f"{c} = s.{c}" for c in columns)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        # Same column types as the table, no constraints: only the staging of this statement.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {listed} FROM {table} WITH NO DATA")
        for batch in _batches(rows):
            with cursor.copy(f"COPY {staging} ({listed}) FROM STDIN") as stream:
                for key, values in batch:
                    stream.write_row([key, *(prepare(values[name]) for name, prepare in prepares)])
            cursor.execute(f"UPDATE {table} t SET {assignments} FROM {staging} s WHERE t.{pk} = s.{pk}")
            cursor.execute(f"TRUNCATE {staging}")
        # On an error the import's transaction rolls back, and the staging table's creation with it.
        cursor.execute(f"DROP TABLE {staging}")
    return len(rows)


def _by_attname(model: type[models.Model], attname: str) -> models.Field:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(f"{model.__name__} 没有字段 {attname}")
