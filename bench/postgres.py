"""PostgreSQL for the benchmarks: `--database-url postgres://…/NAME` replaces the database NAME.

A benchmark writes and drops data, so the database named on its command line is dropped and
created afresh (never the one in the environment: bench/run.py removes DATABASE_URL).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def replace_database(url: str) -> None:
    """DROP DATABASE … WITH (FORCE) and CREATE DATABASE, through the server's `postgres` database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == "postgres":
        raise SystemExit(f"--database-url 须指明一个可替换的数据库名（不能是 postgres）：{url}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
