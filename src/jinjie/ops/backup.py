"""Backups and restores of the whole database (`jinjie backup`, `jinjie restore`).

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot while the
web server and the worker keep running. PostgreSQL: pg_dump's custom format (-Fc: compressed,
restored selectively by pg_restore), with the credentials of DATABASE_URL passed through the
environment, never on the command line.

A restore refuses a database that already holds data (org units, users or employees) unless
forced, replaces what the backup holds, and then runs `jinjie init`: that upgrades a backup of an
older release to this one's schema and puts back the append-only triggers and, on PostgreSQL, the
revocations of the history tables (and the application role's grants with --app-role).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
DATA_TABLES = ("org_orgunit", "org_user", "people_employee")


class BackupError(Exception):
    """A refusal or failure, in Chinese, for the command to print."""


def _sqlite_path() -> Path:
    name = connection.settings_dict["NAME"]
    if not name or str(name) == ":memory:" or str(name).startswith("file:"):
        raise BackupError("内存中的 SQLite 数据库无法备份")
    return Path(name)


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in (("PGHOST", s.get("HOST")), ("PGPORT", s.get("PORT")), ("PGUSER", s.get("USER")),
                       ("PGPASSWORD", s.get("PASSWORD")), ("PGDATABASE", s.get("NAME"))):
        if value:
            env[key] = str(value)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请在本机安装 PostgreSQL 客户端(Debian: apt-get install postgresql-client，版本不低于服务器)")
    return path


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} 失败(退出码 {done.returncode})：{done.stderr.strip()[-2000:]}")


def backup_to(path: Path) -> Path:
    """Write a backup of the current database to `path` (replaced if it exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        source = _sqlite_path()
        if not source.is_file():
            raise BackupError(f"数据库文件不存在：{source}")
        src = sqlite3.connect(source)
        dst = sqlite3.connect(partial)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    elif connection.vendor == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"])
    else:  # pragma: no cover
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    partial.replace(path)  # a half-written backup never carries the final name
    return path


def backup_name(now: datetime | None = None) -> str:
    now = timezone.localtime(now)
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return f"jinjie-{now:%Y%m%d-%H%M%S}.{suffix}"


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups written by `--to-dir` in `directory`."""
    backups = sorted(p for p in directory.glob("jinjie-*-*.*") if p.suffix in (".sqlite3", ".dump"))
    removed = backups[:-keep] if keep > 0 else []
    for p in removed:
        p.unlink()
    return removed


def holds_data() -> bool:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def _kind_of(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path.name} 不是晋阶的备份文件(既不是 SQLite 数据库，也不是 pg_dump 自定义格式)")


def restore_from(path: Path, *, force: bool = False) -> None:
    """Replace the current database's contents with the backup at `path` (then run `jinjie init`)."""
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    kind = _kind_of(path)
    if kind != connection.vendor:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"{path.name} 是 {names[kind]} 的备份，当前数据库是 {names.get(connection.vendor, connection.vendor)}")
    if not force and holds_data():
        raise BackupError("当前数据库已有数据(单位、用户或员工)：恢复会覆盖它们。确认要覆盖时加 --force")
    if kind == "sqlite":
        target = _sqlite_path()
        connections.close_all()
        src = sqlite3.connect(path)
        try:
            src.execute("PRAGMA schema_version")  # a corrupt file fails here, before the target is touched
            dst = sqlite3.connect(target)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
        except sqlite3.DatabaseError as e:
            raise BackupError(f"恢复失败，当前数据库未改变：{e}") from None
        finally:
            src.close()
    else:
        connections.close_all()
        # One transaction: a dump that fails half-way leaves the database as it was. --clean
        # drops what the dump will recreate (a database made by `jinjie init` has those tables).
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(path)])
