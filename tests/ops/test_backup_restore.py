"""`jinjie backup` and `jinjie restore`: a backup restored into an empty database has every row
of every table and the append-only triggers in place; a database with data is not overwritten
unless forced; a file that is no backup is refused in Chinese. Run as an operator would: the
`jinjie` command in its own process, on a database of its own (SQLite files here; two scratch
databases on the PostgreSQL server of the suite)."""

import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from jinjie.core.append_only import TRIGGER_SUFFIXES, append_only_tables

CLI = [sys.executable, "-m", "jinjie.config.cli"]


def jinjie(url: str, *args: str, check: bool = True, tmp=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="jinjie.config.settings.base")
    if tmp is not None:
        env["JINJIE_VAR_DIR"] = str(tmp)
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"jinjie {' '.join(args)}: {done.stdout}\n{done.stderr}")
    return done


def fill(url: str, tmp) -> None:
    """A small demo bureau, evaluated and submitted, some steps decided: history rows of every kind."""
    jinjie(url, "init", tmp=tmp)
    jinjie(url, "demo", "--employees", "40", tmp=tmp)
    jinjie(url, "evaluate", "--period", "2026Q3", tmp=tmp)


# --- SQLite --------------------------------------------------------------------------------------


def sqlite_counts(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
    finally:
        con.close()


def sqlite_triggers(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        con.close()
    return {t for t in append_only_tables() if all(t + s in names for s in TRIGGER_SUFFIXES["sqlite"])}


@pytest.mark.own_sqlite_files
def test_sqlite_backup_restores_every_row_and_trigger_into_an_empty_database(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    fill(f"sqlite:///{source}", tmp_path)
    before = sqlite_counts(source)
    assert before["people_rankchange"] > 0 and before["evaluations_proposal"] > 0

    backup = tmp_path / "b.sqlite3"
    out = jinjie(f"sqlite:///{source}", "backup", "-o", str(backup)).stdout
    assert "已备份到" in out
    jinjie(f"sqlite:///{target}", "init", tmp=tmp_path)  # an empty database of this release
    jinjie(f"sqlite:///{target}", "restore", str(backup), tmp=tmp_path)

    assert sqlite_counts(target) == before
    assert sqlite_triggers(target) == set(append_only_tables())


@pytest.mark.own_sqlite_files
def test_restore_refuses_a_database_with_data_unless_forced(tmp_path):
    source = tmp_path / "source.sqlite3"
    fill(f"sqlite:///{source}", tmp_path)
    backup = tmp_path / "b.sqlite3"
    jinjie(f"sqlite:///{source}", "backup", "-o", str(backup))
    refused = jinjie(f"sqlite:///{source}", "restore", str(backup), check=False)
    assert refused.returncode == 1 and "已有数据" in refused.stderr and "--force" in refused.stderr
    jinjie(f"sqlite:///{source}", "restore", str(backup), "--force")


@pytest.mark.own_sqlite_files
def test_a_file_that_is_no_backup_is_refused_in_chinese_and_changes_nothing(tmp_path):
    target = tmp_path / "t.sqlite3"
    jinjie(f"sqlite:///{target}", "init")
    before = sqlite_counts(target)
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"hello, not a backup")
    refused = jinjie(f"sqlite:///{target}", "restore", str(junk), check=False)
    assert refused.returncode == 1 and "不是晋阶的备份文件" in refused.stderr
    assert sqlite_counts(target) == before


@pytest.mark.own_sqlite_files
def test_backups_to_a_folder_keep_the_newest(tmp_path):
    source = tmp_path / "s.sqlite3"
    jinjie(f"sqlite:///{source}", "init")
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101-010101", "20260102-010101", "20260103-010101"):
        (folder / f"jinjie-{stamp}.sqlite3").write_bytes(b"old")
    jinjie(f"sqlite:///{source}", "backup", "--to-dir", str(folder), "--keep", "2")
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and kept[0] == "jinjie-20260103-010101.sqlite3"
    assert sqlite3.connect(folder / kept[1]).execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def scratch_databases():
    """Two fresh databases on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    s = settings.DATABASES["default"]
    base = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"], "password": s["PASSWORD"] or None}
    names = [f"jinjie_bk_{uuid.uuid4().hex[:8]}_{side}" for side in ("src", "dst")]
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as con:
        for name in names:
            con.execute(f'CREATE DATABASE "{name}"')
    auth = f"{base['user']}:{base['password']}@" if base["password"] else f"{base['user']}@"
    yield [f"postgres://{auth}{base['host']}:{base['port']}/{name}" for name in names], base, names
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_counts(base, name) -> dict[str, int]:
    import psycopg

    with psycopg.connect(dbname=name, **base) as con:
        tables = [t for (t,) in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def pg_triggers(base, name) -> set[str]:
    import psycopg

    with psycopg.connect(dbname=name, **base) as con:
        pairs = set(con.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'"
        ).fetchall())
    return {t for t in append_only_tables() if all((t, t + s) in pairs for s in TRIGGER_SUFFIXES["postgresql"])}


@pytest.mark.postgres_only
def test_postgresql_backup_restores_every_row_and_trigger_into_an_empty_database(scratch_databases, tmp_path):
    (source, target), base, (source_name, target_name) = scratch_databases
    fill(source, tmp_path)
    before = pg_counts(base, source_name)
    assert before["people_rankchange"] > 0 and before["evaluations_proposal"] > 0

    backup = tmp_path / "b.dump"
    jinjie(source, "backup", "-o", str(backup))
    assert backup.read_bytes()[:5] == b"PGDMP"
    jinjie(target, "init", tmp=tmp_path)  # an empty database of this release
    jinjie(target, "restore", str(backup), tmp=tmp_path)

    assert pg_counts(base, target_name) == before
    assert pg_triggers(base, target_name) == set(append_only_tables())
    # The restored history still refuses rewrites.
    import psycopg

    with psycopg.connect(dbname=target_name, **base) as con, pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        con.execute("DELETE FROM people_rankchange")


@pytest.mark.postgres_only
def test_a_missing_pg_dump_is_said_in_chinese(scratch_databases, tmp_path):
    (source, _), _, _ = scratch_databases
    env_path = tmp_path / "bin"
    env_path.mkdir()
    env = dict(os.environ, DATABASE_URL=source, DJANGO_SETTINGS_MODULE="jinjie.config.settings.base", PATH=str(env_path))
    done = subprocess.run([*CLI, "backup", "-o", str(tmp_path / "x.dump")], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "找不到 pg_dump" in done.stderr
