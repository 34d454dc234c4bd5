"""Append-only tables: history that the database itself refuses to change.

Rank history, approval steps, objections, record revisions and PII access logs are insert-only.
The ORM refuses save() on an existing row and delete(); triggers refuse, from any client, raw SQL
included, every statement that would rewrite a stored row:

- UPDATE and DELETE (both databases), which also covers an upsert's ON CONFLICT DO UPDATE;
- on SQLite, REPLACE / INSERT OR REPLACE: it deletes the conflicting row without firing delete
  triggers (unless the client turned recursive_triggers on, which ours does as a second layer), so
  a BEFORE INSERT trigger refuses any new row whose primary key or unique key is already stored;
- on PostgreSQL, TRUNCATE (a statement-level trigger).

A table's owner can still switch triggers off (ALTER TABLE … DISABLE TRIGGER); production runs the
application as a role that owns nothing and may only SELECT and INSERT here (core.db_roles).
"""

from django.apps import apps
from django.db import connections, models
from django.db.models.sql.query import Query

REFUSAL = "历史记录只能追加，不能修改或删除"
REPLACE_REFUSAL = "历史记录只能追加，不能覆盖已有的记录"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(REFUSAL)

    def delete(self):
        raise AppendOnlyError(REFUSAL)


class AppendOnlyModel(models.Model):
    """Base for insert-only history tables."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(REFUSAL)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(REFUSAL)


def append_only_tables() -> list[str]:
    return [m._meta.db_table for m in append_only_models()]


def append_only_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, AppendOnlyModel) and not m._meta.abstract and m._meta.managed),
        key=lambda m: m._meta.db_table,
    )


def unique_keys(model: type[models.Model]) -> list[tuple[tuple[str, ...], str | None]]:
    """Every set of columns a new row could collide on, with the condition of a partial unique index
    (SQL over the row's own columns) or None: the primary key, unique fields (one-to-one included),
    unique_together and unique constraints — what REPLACE would delete a stored row for."""
    meta = model._meta
    keys: list[tuple[tuple[str, ...], str | None]] = [((f.column,), None) for f in meta.local_concrete_fields if f.unique]
    keys += [(tuple(meta.get_field(name).column for name in together), None) for together in meta.unique_together]
    for constraint in meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if constraint.expressions or not constraint.fields:
            # An expression index would need its expressions copied into the trigger; refuse loudly
            # (at migrate, in the tests) rather than guard it wrongly.
            raise ValueError(f"只追加表 {meta.db_table} 的唯一约束 {constraint.name} 含表达式，覆盖防护无法表达")
        columns = tuple(meta.get_field(name).column for name in constraint.fields)
        keys.append((columns, _condition_sql(model, constraint.condition)))
    return list(dict.fromkeys(keys))


def _condition_sql(model: type[models.Model], condition) -> str | None:
    """A partial index's condition as SQL over unqualified columns, values inlined (as Django writes
    it into CREATE UNIQUE INDEX … WHERE)."""
    if condition is None:
        return None
    connection = connections["default"]
    query = Query(model=model, alias_cols=False)
    where = query.build_where(condition)
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return sql % tuple(_literal(p) for p in params)


def _literal(value) -> str:
    # The values a model's condition holds (text, numbers, booleans, NULL), as SQLite literals.
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _on_new_row(model: type[models.Model], condition: str) -> str:
    """The same condition about the row being inserted: every column reference becomes NEW."col"."""
    for field in model._meta.local_concrete_fields:
        condition = condition.replace(f'"{field.column}"', f'NEW."{field.column}"')
    return condition


def _sqlite_statements(model: type[models.Model], present: set[str] | None = None) -> list[str]:
    table = model._meta.db_table
    clauses = []
    for columns, condition in unique_keys(model):
        used = set(columns) | {f.column for f in model._meta.local_concrete_fields if condition and f'"{f.column}"' in condition}
        if present is not None and not used <= present:
            # A migration in between (the table not yet at the model's shape): the next migrate,
            # which reaches it, installs the guard again with this key.
            continue
        match = " AND ".join(f'"{column}" = NEW."{column}"' for column in columns)
        if condition is None:
            clauses.append(f'EXISTS (SELECT 1 FROM "{table}" WHERE {match})')
        else:
            # A partial unique index collides only between rows that both satisfy its condition.
            clauses.append(
                f'(({_on_new_row(model, condition)}) AND EXISTS (SELECT 1 FROM "{table}" WHERE {match} AND ({condition})))'
            )
    collides = " OR ".join(clauses)
    # Dropped and created again (not IF NOT EXISTS) so a changed unique key changes the trigger.
    return [
        f'DROP TRIGGER IF EXISTS "{table}_no_update"',
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        f'DROP TRIGGER IF EXISTS "{table}_no_delete"',
        f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        # NULL never equals anything, like in the unique indexes themselves, so a row whose key
        # is still unassigned (NEW.id of an autoincrement insert) collides with nothing.
        f'DROP TRIGGER IF EXISTS "{table}_no_replace"',
        f'CREATE TRIGGER "{table}_no_replace" BEFORE INSERT ON "{table}" WHEN {collides} '
        f"BEGIN SELECT RAISE(ABORT, '{REPLACE_REFUSAL}'); END",
    ]


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jinjie_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{REFUSAL} (%)', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def _postgresql_statements(table: str) -> list[str]:
    # An upsert's ON CONFLICT DO UPDATE fires the BEFORE UPDATE row trigger, so it is refused too.
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION jinjie_refuse_change()",
        f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"',
        f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION jinjie_refuse_change()",
    ]


TRIGGER_SUFFIXES = {"sqlite": ("_no_update", "_no_delete", "_no_replace"), "postgresql": ("_append_only", "_no_truncate")}


def install_append_only_triggers(sender=None, using: str = "default", **kwargs) -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    present = [m for m in append_only_models() if m._meta.db_table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for model in present:
                for sql in _postgresql_statements(model._meta.db_table):
                    cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for model in present:
                table = model._meta.db_table
                columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
                for sql in _sqlite_statements(model, columns):
                    cursor.execute(sql)
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RuntimeError(f"不支持的数据库: {connection.vendor}")
    if connection.vendor == "postgresql":
        from .db_roles import revoke_history_rewrites

        revoke_history_rewrites(tables=[m._meta.db_table for m in present], using=using)


def installed_triggers(using: str = "default") -> set[str]:
    """Names of the tables whose append-only triggers are all in place (for tests and `jinjie init`)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace"
            )
        names = set(cursor.fetchall())
    suffixes = TRIGGER_SUFFIXES[connection.vendor]
    return {table for table in append_only_tables() if all((table, table + s) in names for s in suffixes)}
