"""`jinjie init --app-role NAME`: the application connects as a role that owns nothing, so it can
neither rewrite history (no UPDATE, DELETE, TRUNCATE there) nor switch the triggers off (ALTER TABLE
is the owner's), while everything else it does goes on as before."""

import os
from datetime import date

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jinjie.core.append_only import install_append_only_triggers
from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee, RankChange
from tests.app_role import APP_PASSWORD


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 上的拒绝")
def test_sqlite_has_no_roles_and_says_so_in_chinese():
    with pytest.raises(CommandError, match="只适用于 PostgreSQL"):
        call_command("init", app_role="jinjie_app")


@pytest.mark.django_db
def test_a_password_needs_a_role():
    with pytest.raises(CommandError, match="须与 --app-role 一起使用"):
        call_command("init", app_password="secret")


def connect_as(role: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"], user=role, password=APP_PASSWORD,
        autocommit=True,
    )


def refused(db: psycopg.Connection, sql: str, *params) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        db.execute(sql, params)
    return str(caught.value)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_rewrite_history_or_switch_the_triggers_off(app_role):
    call_command("init", app_role=app_role, app_password=APP_PASSWORD)
    call_command("init", app_role=app_role)  # again: nothing to change, nothing refused
    unit = OrgUnit.objects.create(name="测试市局")
    emp = Employee.objects.create(
        employee_no="E1", name="张三", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1)
    )
    change = RankChange.objects.create(employee=emp, effective_date=date(2026, 1, 1), from_rank="见习", to_rank="初级C")

    with connect_as(app_role) as db:
        assert db.execute("SELECT current_user").fetchone()[0] == app_role
        assert db.execute("SELECT to_rank FROM people_rankchange").fetchall() == [("初级C",)]
        refused(db, "UPDATE people_rankchange SET to_rank = '高级A' WHERE id = %s", change.pk)
        refused(db, "DELETE FROM people_rankchange WHERE id = %s", change.pk)
        refused(db, "TRUNCATE people_rankchange CASCADE")
        refused(db, "TRUNCATE approvals_approvalstep CASCADE")
        assert "owner" in refused(db, "ALTER TABLE people_rankchange DISABLE TRIGGER ALL")
        assert "owner" in refused(db, 'ALTER TABLE people_rankchange DISABLE TRIGGER "people_rankchange_append_only"')
        assert "owner" in refused(db, 'DROP TRIGGER "people_rankchange_no_truncate" ON people_rankchange')
        refused(db, "CREATE TABLE sneaky (id int)")

        # What the application does all day still works: new history rows, ordinary updates.
        db.execute(
            "INSERT INTO people_rankchange (employee_id, effective_date, from_rank, to_rank, reason, source, source_ref, "
            "recorded_at) VALUES (%s, '2026-04-01', '初级C', '初级B', '', 'import', '', now())",
            (emp.pk,),
        )
        db.execute("UPDATE people_employee SET name = '张三丰' WHERE id = %s", (emp.pk,))
        db.execute("INSERT INTO org_orgunit (name, kind, parent_id, path, depth, code) SELECT '新单位', kind, id, path || '新单位/', depth + 1, '' "
                   "FROM org_orgunit WHERE id = %s", (unit.pk,))
        db.execute("DELETE FROM org_orgunit WHERE name = '新单位'")

    assert list(emp.rank_changes.values_list("to_rank", flat=True)) == ["初级C", "初级B"]
    emp.refresh_from_db()
    assert emp.name == "张三丰"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_future_tables_are_granted_but_history_rewrites_are_taken_back_after_migrate(app_role):
    call_command("init", app_role=app_role, app_password=APP_PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE probe_future (id int)")
        try:
            cursor.execute("SELECT has_table_privilege(%s, 'probe_future', 'INSERT')", [app_role])
            assert cursor.fetchone()[0] is True  # ALTER DEFAULT PRIVILEGES
        finally:
            cursor.execute("DROP TABLE probe_future")
        # A default privilege (or a hand-made grant) of UPDATE on a history table …
        cursor.execute(f'GRANT UPDATE, DELETE ON people_rankchange TO "{app_role}"')
        cursor.execute("SELECT has_table_privilege(%s, 'people_rankchange', 'UPDATE')", [app_role])
        assert cursor.fetchone()[0] is True
    # … is taken back by what runs after every migrate.
    install_append_only_triggers()
    with connection.cursor() as cursor:
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            cursor.execute("SELECT has_table_privilege(%s, 'people_rankchange', %s)", [app_role, privilege])
            assert cursor.fetchone()[0] is False, privilege
        cursor.execute("SELECT has_table_privilege(%s, 'people_rankchange', 'INSERT')", [app_role])
        assert cursor.fetchone()[0] is True


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("Bad-Name", "角色名 'Bad-Name' 无效"), ("postgres", "不能是当前连接的角色")],
)
def test_a_bad_or_owning_app_role_is_refused(name, message):
    with pytest.raises(CommandError, match=message):
        call_command("init", app_role=name)


@pytest.mark.postgres_only
@pytest.mark.django_db  # CREATE ROLE is transactional: the test's rollback removes the role again
def test_a_role_made_beforehand_without_login_is_allowed_to_log_in(capsys):
    name = f"jinjie_app_nologin_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
    call_command("init", app_role=name)
    assert f"角色 {name} 已存在，已允许登录" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [name])
        assert cursor.fetchone() == (True,)
        cursor.execute("SELECT has_table_privilege(%s, 'people_rankchange', 'INSERT'), "
                       "has_table_privilege(%s, 'people_rankchange', 'UPDATE')", [name, name])
        assert cursor.fetchone() == (True, False)
