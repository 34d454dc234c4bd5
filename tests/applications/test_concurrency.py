"""Two people acting on the same application or round at the same moment change it once.

Real parallel connections need real row locks: PostgreSQL only (see tests/approvals/test_concurrency.py).
"""

import threading
import time
from datetime import date

import pytest
from django.db import connection

from jinjie.applications import services
from jinjie.applications.models import Application, ApplicationTransition
from jinjie.applications.services import application_apply, application_review, round_close, rounds_close_due
from jinjie.applications.workflow import ApplicationError
from jinjie.evaluations.models import Proposal

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ALL_MET = {"manual.1": True, "manual.2": True}


def _slowed(function):
    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(0.3)
        return result

    return slow


def race(*calls):
    """Run the calls in parallel threads released together; returns (result or exception) per call."""
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


def test_two_reviewers_deciding_at_once_record_one_review(monkeypatch, round_, people, logins):
    a = application_apply(actor=logins["hr"], round=round_, employee=people["li"])
    round_close(actor=logins["hr"], round=round_)
    # Each review holds the application's lock a while after reading it.
    monkeypatch.setattr(services, "_marks", _slowed(services._marks))
    outcomes = race(
        lambda: application_review(actor=logins["reviewer"], application=a.pk, items=ALL_MET, comment="甲审核"),
        lambda: application_review(actor=logins["reviewer2"], application=a.pk, items=ALL_MET, comment="乙审核"),
    )
    done = [o for o in outcomes if isinstance(o, Application)]
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert "只有资格审查通过的申报可以审核" in str(refused[0])
    assert Proposal.objects.count() == 1
    assert ApplicationTransition.objects.filter(application=a, event="approve").count() == 1
    assert Application.objects.get(pk=a.pk).reviewed_by in (logins["reviewer"], logins["reviewer2"])


def test_one_employee_applying_twice_at_once_is_stored_once(monkeypatch, round_, people, logins):
    monkeypatch.setattr(services, "assess", _slowed(services.assess))
    outcomes = race(
        lambda: application_apply(actor=logins["li"], round=round_.pk, employee=people["li"].pk),
        lambda: application_apply(actor=logins["hr"], round=round_.pk, employee=people["li"].pk),
    )
    assert sum(isinstance(o, Application) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ApplicationError) for o in outcomes) == 1, outcomes
    assert Application.objects.count() == 1 and ApplicationTransition.objects.count() == 1


def test_two_apply_due_runs_at_once_close_a_round_once(monkeypatch, round_, people, logins):
    application_apply(actor=logins["li"], round=round_, employee=people["li"])
    monkeypatch.setattr(services, "assess", _slowed(services.assess))
    outcomes = race(lambda: rounds_close_due(today=date(2026, 11, 1)), lambda: rounds_close_due(today=date(2026, 11, 1)))
    assert sorted(len(o) for o in outcomes) == [0, 1], outcomes
    assert ApplicationTransition.objects.filter(event="pass").count() == 1
