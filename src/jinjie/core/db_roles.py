"""The PostgreSQL role the application runs as: it owns nothing, so it cannot switch triggers off.

The append-only triggers (core.append_only) hold against any statement, but a table's owner may
`ALTER TABLE … DISABLE TRIGGER`, drop the trigger, or TRUNCATE after doing so. So in production
the schema belongs to one role (which runs `jinjie init` and migrations) and the web server, the
workers and cron connect as another, made here by `jinjie init --app-role NAME`:

- CONNECT on the database, USAGE on the schema;
- SELECT, INSERT, UPDATE, DELETE on every table, USAGE and SELECT on every sequence, and the same
  by default on the tables and sequences the owner creates later (ALTER DEFAULT PRIVILEGES);
- on the append-only tables only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and, not being
  the owner, no ALTER TABLE.

A default privilege would hand UPDATE and DELETE on a *new* history table to the role, so after
every migrate `revoke_history_rewrites` takes them back from whoever is not the owner.
"""

import re

from django.db import connections, transaction

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
HISTORY_PRIVILEGES = "SELECT, INSERT"
REWRITES = ("UPDATE", "DELETE", "TRUNCATE")


class RoleSetupError(Exception):
    """A refusal with a Chinese message, shown by `jinjie init`."""


def _quote(connection, name: str) -> str:
    # psycopg's quoting doubles embedded quotes (a database may be called anything); Django's doesn't.
    from psycopg import sql

    connection.ensure_connection()
    return sql.Identifier(name).as_string(connection.connection)


def revoke_history_rewrites(*, tables: list[str], using: str = "default") -> list[tuple[str, str]]:
    """Take UPDATE, DELETE and TRUNCATE on the append-only tables from every role but their owner
    (PUBLIC included). Returns the (table, grantee) pairs that had any, for the tests and the log."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname, COALESCE(r.rolname, 'PUBLIC') "
            "FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s) "
            "AND a.grantee <> c.relowner AND a.privilege_type = ANY(%s) ORDER BY 1, 2",
            [list(tables), list(REWRITES)],
        )
        found = cursor.fetchall()
        for table, grantee in found:
            who = "PUBLIC" if grantee == "PUBLIC" else _quote(connection, grantee)
            cursor.execute(f"REVOKE {', '.join(REWRITES)} ON {_quote(connection, table)} FROM {who}")
    return found


def grant_app_role(*, role: str, password: str | None = None, using: str = "default") -> list[str]:
    """Create (if missing) and grant the application's non-owner role. Run as the owner of the
    tables; idempotent. Returns what was done, as Chinese lines for the command's output."""
    from .append_only import append_only_tables

    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleSetupError("--app-role 只适用于 PostgreSQL：SQLite 数据库是一个文件，没有数据库角色，请用文件权限保护它")
    if not ROLE_NAME.match(role):
        raise RoleSetupError(f"角色名 {role!r} 无效：只能用小写字母、数字和下划线，且不以数字开头(最长 63 个字符)")
    from psycopg import sql

    done: list[str] = []
    q = _quote(connection, role)
    # All or nothing: a grant refused half-way (not the owner) leaves no half-made role behind.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if role == owner:
            raise RoleSetupError(f"应用角色不能是当前连接的角色 {owner}(表的所有者)：所有者可以关闭触发器")
        cursor.execute("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row and row[0]:
            raise RoleSetupError(f"角色 {role} 是超级用户，可以绕过一切限制，不能作为应用角色")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s AND c.relnamespace = current_schema()::regnamespace",
            [role],
        )
        if cursor.fetchone()[0]:
            raise RoleSetupError(f"角色 {role} 拥有本库的表，可以关闭触发器，不能作为应用角色")
        raw = connection.connection
        if row is None:
            statement = sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role))
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            cursor.execute(statement.as_string(raw))
            done.append(f"已创建可登录的角色 {role}")
        elif password or not row[1]:
            # Only when something changes: a role made beforehand by a superuser needs no
            # CREATEROLE of the owner.
            statement = sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(role))
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            cursor.execute(statement.as_string(raw))
            done.append(f"角色 {role} 已存在，已" + ("更新密码" if password else "允许登录"))
        else:
            done.append(f"角色 {role} 已存在")
        cursor.execute(f"GRANT CONNECT ON DATABASE {_quote(connection, database)} TO {q}")
        s = _quote(connection, schema)
        cursor.execute(f"GRANT USAGE ON SCHEMA {s} TO {q}")
        cursor.execute(f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {s} TO {q}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {q}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {TABLE_PRIVILEGES} ON TABLES TO {q}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {q}")
        done.append(f"已授予 {role}：连接数据库 {database}，表的查询、新增、修改、删除，序列的使用")
        history = append_only_tables()
        for table in history:
            t = _quote(connection, table)
            cursor.execute(f"REVOKE ALL ON {t} FROM {q}")
            cursor.execute(f"GRANT {HISTORY_PRIVILEGES} ON {t} TO {q}")
        revoke_history_rewrites(tables=history, using=using)
    done.append(f"历史表({len(history)} 张)只授予查询和新增：不能修改、删除或清空")
    return done
