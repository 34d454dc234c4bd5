"""Rank history and the other history tables refuse UPDATE and DELETE, in the database itself."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from jinjie.core.append_only import AppendOnlyError, append_only_tables, installed_triggers
from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee, RankChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def change():
    unit = OrgUnit.objects.create(name="测试市局")
    emp = Employee.objects.create(
        employee_no="E1", name="张三", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1)
    )
    return RankChange.objects.create(employee=emp, effective_date=date(2026, 1, 1), from_rank="见习", to_rank="初级C")


def test_every_history_table_has_its_triggers():
    tables = set(append_only_tables())
    assert {"people_rankchange", "people_recordrevision", "people_piiaccesslog"} <= tables
    assert tables <= installed_triggers()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE people_rankchange SET to_rank = '高级A' WHERE id = %s",
        "DELETE FROM people_rankchange WHERE id = %s",
    ],
)
def test_the_database_refuses_to_rewrite_rank_history(change, sql):
    with pytest.raises(IntegrityError, match="历史记录只能追加"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [change.pk])
    change.refresh_from_db()
    assert change.to_rank == "初级C"


def test_the_orm_refuses_to_save_or_delete_a_recorded_change(change):
    change.to_rank = "高级A"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        RankChange.objects.filter(pk=change.pk).update(to_rank="高级A")
    assert RankChange.objects.get(pk=change.pk).to_rank == "初级C"


def test_new_history_rows_are_accepted(change):
    RankChange.objects.create(
        employee=change.employee, effective_date=date(2026, 4, 1), from_rank="初级C", to_rank="初级B"
    )
    assert change.employee.rank_changes.count() == 2


# --- Bypasses: statements that rewrite a row without saying UPDATE or DELETE -----------------------


@pytest.fixture
def step(change):
    from jinjie.approvals.models import ApprovalStep
    from jinjie.evaluations.models import Proposal
    from jinjie.rulebooks.models import RuleBook
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()
    proposal = Proposal.objects.create(
        period="2026Q3", employee=change.employee, from_rank="初级C", to_rank="初级B", move="grade_up",
        route=["committee"], rulebook=RuleBook.objects.filter(kind="ladder").first(), state="in_review",
    )
    return ApprovalStep.objects.create(proposal=proposal, step="committee", sequence=1, decision="reject", comment="不符合")


def _refused(sql, params):
    with pytest.raises(IntegrityError, match="历史记录只能追加"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _rank_row(change, to_rank):
    # Every column of people_rankchange, in table order, with a new to_rank.
    return [change.employee_id, change.effective_date, change.from_rank, to_rank, "", "import", "", change.recorded_at, None]


RANK_COLUMNS = "employee_id, effective_date, from_rank, to_rank, reason, source, source_ref, recorded_at, recorded_by_id"
SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="REPLACE 是 SQLite 的语法")


@SQLITE_ONLY
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_replace_a_rank_change_by_its_id(change, verb):
    _refused(f"{verb} people_rankchange (id, {RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
             [change.pk, *_rank_row(change, "高级A")])
    change.refresh_from_db()
    assert change.to_rank == "初级C"
    assert RankChange.objects.count() == 1


@SQLITE_ONLY
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_replace_a_rank_change_by_its_unique_key(change, verb):
    # A new id but the same (employee, effective_date): REPLACE would delete the old row first.
    _refused(f"{verb} people_rankchange ({RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
             _rank_row(change, "高级A"))
    assert list(RankChange.objects.values_list("pk", "to_rank")) == [(change.pk, "初级C")]


@SQLITE_ONLY
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_flip_an_approval_decision_by_replace(step, verb):
    from jinjie.approvals.models import ApprovalStep

    _refused(
        f"{verb} approvals_approvalstep (proposal_id, step, sequence, decision, actor_id, actor_role, comment, decided_at)"
        " VALUES (%s, 'committee', 1, 'approve', NULL, '', '同意', %s)",
        [step.proposal_id, step.decided_at],
    )
    assert list(ApprovalStep.objects.values_list("pk", "decision")) == [(step.pk, "reject")]


@SQLITE_ONLY
def test_sqlite_refuses_replace_even_without_recursive_triggers(change):
    # The BEFORE INSERT trigger is in the database file: a client that never turns on
    # recursive_triggers (sqlite3 on the command line) is refused all the same.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers")
        assert cursor.fetchone()[0] == 1  # our own connection has the second layer on
        cursor.execute("PRAGMA recursive_triggers = OFF")
    try:
        _refused(f"REPLACE INTO people_rankchange (id, {RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                 [change.pk, *_rank_row(change, "高级A")])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON")
    change.refresh_from_db()
    assert change.to_rank == "初级C"


def test_an_upsert_cannot_rewrite_rank_history(change):
    _refused(
        f"INSERT INTO people_rankchange (id, {RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET to_rank = excluded.to_rank",
        [change.pk, *_rank_row(change, "高级A")],
    )
    _refused(
        f"INSERT INTO people_rankchange ({RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (employee_id, effective_date) DO UPDATE SET to_rank = excluded.to_rank",
        _rank_row(change, "高级A"),
    )
    change.refresh_from_db()
    assert change.to_rank == "初级C"


def test_an_upsert_cannot_flip_an_approval_decision(step):
    _refused(
        "INSERT INTO approvals_approvalstep (proposal_id, step, sequence, decision, actor_role, comment, decided_at)"
        " VALUES (%s, 'committee', 1, 'approve', '', '同意', %s)"
        " ON CONFLICT (proposal_id, sequence) DO UPDATE SET decision = excluded.decision",
        [step.proposal_id, step.decided_at],
    )
    step.refresh_from_db()
    assert step.decision == "reject"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite 没有 TRUNCATE（其 DELETE 已被拒绝）")
@pytest.mark.parametrize("table", ["people_rankchange", "approvals_approvalstep"])
def test_postgresql_refuses_to_truncate_a_history_table(step, table):
    with connection.cursor() as cursor:
        # The test's transaction defers foreign-key checks, and TRUNCATE refuses to run before them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _refused(f'TRUNCATE "{table}" CASCADE', [])
    assert RankChange.objects.count() == 1
    assert step.__class__.objects.count() == 1


def test_a_plain_new_row_with_a_fresh_key_is_still_accepted(change, step):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO people_rankchange ({RANK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [change.employee_id, date(2026, 4, 1), "初级C", "初级B", "", "import", "", change.recorded_at, None],
        )
    assert RankChange.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite 没有停用触发器的语句")
def test_a_switched_off_trigger_counts_as_missing_and_the_next_migrate_switches_it_back_on(change):
    from jinjie.core.append_only import install_append_only_triggers

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
        cursor.execute('ALTER TABLE people_rankchange DISABLE TRIGGER "people_rankchange_append_only"')
    assert "people_rankchange" not in installed_triggers()  # `jinjie init` refuses to finish
    install_append_only_triggers()  # what runs after every migrate
    assert "people_rankchange" in installed_triggers()
    _refused("UPDATE people_rankchange SET to_rank = '高级A' WHERE id = %s", [change.pk])


def test_a_migrate_installs_the_triggers_once_not_once_per_app():
    """post_migrate is sent once for every installed app; one installation covers every history
    table, so the triggers are created once per migrate (or per flush of a transactional test)."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    created = [q["sql"] for q in queries if q["sql"].startswith("CREATE TRIGGER")]
    per_table = 2 if connection.vendor == "postgresql" else 3
    assert len(created) == per_table * len(append_only_tables())
    assert set(append_only_tables()) <= installed_triggers()
