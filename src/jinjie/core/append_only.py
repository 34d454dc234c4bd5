"""Append-only tables: history that the database itself refuses to change.

Rank history, approval steps, objections, record revisions and PII access logs are insert-only.
The ORM refuses save() on an existing row and delete(); triggers refuse UPDATE and DELETE from any
client, raw SQL included, on SQLite and PostgreSQL alike.
"""

from django.apps import apps
from django.db import connections, models

REFUSAL = "历史记录只能追加，不能修改或删除"


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
    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, AppendOnlyModel) and not m._meta.abstract and m._meta.managed
    )


def _sqlite_statements(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_no_update" BEFORE UPDATE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        f'CREATE TRIGGER IF NOT EXISTS "{table}_no_delete" BEFORE DELETE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ]


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jinjie_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{REFUSAL} (%)', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def _postgresql_statements(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION jinjie_refuse_change()",
    ]


def install_append_only_triggers(sender=None, using: str = "default", **kwargs) -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [t for t in append_only_tables() if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                for sql in _postgresql_statements(table):
                    cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for table in tables:
                for sql in _sqlite_statements(table):
                    cursor.execute(sql)
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RuntimeError(f"不支持的数据库: {connection.vendor}")


def installed_triggers(using: str = "default") -> set[str]:
    """Names of the tables whose append-only triggers are in place (for tests and `jinjie init`)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type='trigger' AND name LIKE '%_no_update'")
        else:
            cursor.execute("SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE '%_append_only'")
        return {row[0] for row in cursor.fetchall()}
