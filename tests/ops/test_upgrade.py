"""`jinjie init` on a database of the previous release (7b1cb36: the last release before the
management posts, the channels' subjects, the login throttle and the job queue) upgrades it with
no row lost, and the data reads through this release's code.

The old database is built as an installation of that release had it: its migrations only (the
leaf of each app then), rows written with the models *as they were* (the migration state's
historical models), in a `jinjie` process of its own on a database of its own."""

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from tests.ops.test_backup_restore import pg_counts, scratch_databases  # noqa: F401 - fixture

CLI = [sys.executable, "-m", "jinjie.config.cli"]
PREVIOUS_RELEASE = {
    "org": "0002_initial",
    "people": "0001_initial",
    "assessments": "0002_initial",
    "rulebooks": "0001_initial",
    "evaluations": "0002_run_kept_and_problems",
    "approvals": "0001_initial",
}
CONTRIB = ("contenttypes", "auth", "admin", "sessions", "authtoken")

FILL = textwrap.dedent(
    """
    from datetime import date
    from decimal import Decimal
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    nodes = {nodes!r}
    loader = MigrationLoader(connection)
    old = loader.project_state(nodes=list(nodes.items()), at_end=True).apps
    OrgUnit = old.get_model("org", "OrgUnit")
    User = old.get_model("org", "User")
    Employee = old.get_model("people", "Employee")
    RankChange = old.get_model("people", "RankChange")
    MonthlyScore = old.get_model("assessments", "MonthlyScore")
    province = OrgUnit.objects.create(name="某省公司", kind="province", path="某省公司", depth=0)
    city = OrgUnit.objects.create(name="甲市局", kind="city", parent=province, path="某省公司/甲市局", depth=1)
    User.objects.create(username="hr", role="hr", org_unit=city, password="!")
    for i in range(25):
        e = Employee.objects.create(
            employee_no=f"U{{i:04d}}", name=f"员工{{i}}", org_unit=city, track="客户经理",
            role_start_date=date(2020, 1, 1), current_rank="初级B", rank_since=date(2025, 1, 1),
        )
        RankChange.objects.create(employee=e, effective_date=date(2024, 1, 1), from_rank="见习", to_rank="初级C")
        RankChange.objects.create(employee=e, effective_date=date(2025, 1, 1), from_rank="初级C", to_rank="初级B")
        for month in ("2026-07", "2026-08", "2026-09"):
            MonthlyScore.objects.create(employee=e, month=month, score=Decimal("85.5"))
    """
)


def jinjie(url: str, *args: str) -> str:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="jinjie.config.settings.base")
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"jinjie {' '.join(args)[:200]}: {done.stdout}\n{done.stderr}"
    return done.stdout


def build_previous_release(url: str) -> None:
    for app in CONTRIB:
        jinjie(url, "migrate", app, "--verbosity", "0")
    for app, name in PREVIOUS_RELEASE.items():
        jinjie(url, "migrate", app, name, "--verbosity", "0")
    jinjie(url, "shell", "-c", FILL.format(nodes=PREVIOUS_RELEASE))


def upgrade_and_check(url: str, counts) -> None:
    before = counts()
    assert before["people_employee"] == 25 and before["people_rankchange"] == 50
    assert "core_job" not in before and "people_postassignment" not in before  # really the old schema

    out = jinjie(url, "init")
    assert "初始化完成" in out
    after = counts()
    for table, n in before.items():
        assert after[table] >= n, f"{table}: {n} → {after[table]}"
    assert {t: after[t] for t in ("people_employee", "people_rankchange", "assessments_monthlyscore", "org_user")} == {
        "people_employee": 25, "people_rankchange": 50, "assessments_monthlyscore": 75, "org_user": 1}
    assert "core_job" in after and "people_postassignment" in after
    # The data reads through this release's code: the ranks match their history, the export lists everyone.
    jinjie(url, "check-ranks")  # exit 0: every current rank is the last of its history
    exported = jinjie(url, "shell", "-c", (
        "from jinjie.people.models import Employee; "
        "print(Employee.objects.filter(rank_changes__to_rank='初级B').distinct().count())"))
    assert exported.strip().splitlines()[-1] == "25"


@pytest.mark.own_sqlite_files
def test_init_upgrades_a_sqlite_database_of_the_previous_release(tmp_path):
    path = tmp_path / "previous.sqlite3"
    url = f"sqlite:///{path}"
    build_previous_release(url)

    def counts():
        con = sqlite3.connect(path)
        try:
            names = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}
        finally:
            con.close()

    upgrade_and_check(url, counts)


@pytest.mark.postgres_only
def test_init_upgrades_a_postgresql_database_of_the_previous_release(scratch_databases):  # noqa: F811
    (url, _), base, (name, _) = scratch_databases
    build_previous_release(url)
    upgrade_and_check(url, lambda: pg_counts(base, name))
