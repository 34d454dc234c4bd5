"""Two people acting on the same thing at the same moment change it once (ARCHITECTURE 6).

Real parallel connections need real row locks: PostgreSQL only. (On SQLite a transactional test
would also flush the append-only tables with DELETE, which their triggers refuse.)
"""

import threading
import time
from datetime import date

import pytest
from django.db import connection

from jinjie.approvals import services
from jinjie.approvals.models import ApprovalStep, ObjectionResolution, ProposalTransition
from jinjie.approvals.services import apply_due, objection_file, objection_resolve, proposal_decide
from jinjie.approvals.workflow import WorkflowError
from jinjie.org.models import Role
from jinjie.people.models import RankChange

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _slowed(function):
    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(0.3)
        return result

    return slow


def race(monkeypatch, *calls):
    """Run the calls in parallel threads, released together; each holds its locks a while, so the
    other one really has to wait. Returns (result or exception) per call."""
    # Both run while the rows are locked; each act's module holds its own reference to them.
    for module in (services.decide, services.notices, services.apply, services._rows):
        for name in ("next_sequences", "update_grouped"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, _slowed(getattr(services._rows, name)))
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as e:  # noqa: BLE001 - reported to the test
            outcomes[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_committee_members_approving_the_same_step_at_once_record_one_step(monkeypatch, staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")  # committee › leader
    outcomes = race(
        monkeypatch,
        lambda: proposal_decide(proposal=p.pk, actor=staff["committee"], decision="approve", comment="甲同意"),
        lambda: proposal_decide(proposal=p.pk, actor=staff["committee2"], decision="approve", comment="乙同意"),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], WorkflowError), outcomes
    # The loser waited for the lock and then read the new state (not a constraint violation).
    assert "“考评委员会”环节已审批" in str(errors[0])
    assert ApprovalStep.objects.filter(proposal=p).count() == 1
    p.refresh_from_db()
    assert (p.state, p.step_index) == ("in_review", 1)
    assert list(ProposalTransition.objects.filter(proposal=p).values_list("event", flat=True)) == ["submit", "advance"]


def test_a_double_clicked_approval_changes_the_proposal_once(monkeypatch, staff, employee, submitted):
    p = submitted(employee(rank="初级B"), "初级A")
    decide = lambda: proposal_decide(proposal=p.pk, actor=staff["cm_reviewer"], decision="approve")  # noqa: E731
    outcomes = race(monkeypatch, decide, decide)
    assert sum(isinstance(o, WorkflowError) for o in outcomes) == 1, outcomes
    assert ApprovalStep.objects.filter(proposal=p).count() == 1


def test_two_apply_due_runs_at_once_write_one_rank_change(monkeypatch, today, staff, employee, submitted, advance):
    today(date(2026, 10, 8))
    emp = employee(rank="初级B")
    advance(submitted(emp, "初级A"))
    outcomes = race(monkeypatch, lambda: apply_due(today=date(2026, 10, 9)), lambda: apply_due(today=date(2026, 10, 9)))
    assert sorted(o.applied for o in outcomes) == [0, 1], outcomes
    assert RankChange.objects.filter(employee=emp).count() == 1
    emp.refresh_from_db()
    assert emp.current_rank == "初级A"


def test_two_rulings_on_the_same_objection_at_once_record_one(monkeypatch, today, user, staff, employee, on_notice):
    p, _ = on_notice
    today(date(2026, 10, 2))
    filer = user("filer", Role.EMPLOYEE, unit="county", employee=employee())
    objection = objection_file(notice_item=p.notice_item, filer=filer, text="异议")
    outcomes = race(
        monkeypatch,
        lambda: objection_resolve(objection=objection.pk, actor=staff["committee"], upheld=True, reason="属实"),
        lambda: objection_resolve(objection=objection.pk, actor=staff["committee2"], upheld=False, reason="不属实"),
    )
    assert sum(isinstance(o, WorkflowError) for o in outcomes) == 1, outcomes
    assert ObjectionResolution.objects.filter(objection=objection).count() == 1
