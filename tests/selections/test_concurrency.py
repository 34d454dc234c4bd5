"""Two HR users acting on one selection at the same moment change it once (ARCHITECTURE 6): the
selection's row lock makes the second wait and then find the stage done. Real parallel connections
need real row locks: PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection

from jinjie.selections import services as sv
from jinjie.selections.models import SelectionTransition
from jinjie.selections.services import scores as scores_module
from jinjie.selections.workflow import SelectionError

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(*calls):
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


def test_two_hr_users_completing_a_stage_at_once_complete_it_once(monkeypatch, world, published, advance):
    advance(published, to="written")
    real = scores_module.scoreboard

    def slow(selection):  # read while the row is locked: the other one really has to wait
        board = real(selection)
        time.sleep(0.3)
        return board

    monkeypatch.setattr(scores_module, "scoreboard", slow)
    outcomes = race(
        lambda: sv.stage_complete(selection=published.pk, actor=world.users["hr"], stage="written"),
        lambda: sv.stage_complete(selection=published.pk, actor=world.users["hr2"], stage="written"),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], SelectionError), outcomes
    assert "笔试阶段已经完成" in str(errors[0])
    assert SelectionTransition.objects.filter(selection=published, event="complete_written").count() == 1
    published.refresh_from_db()
    assert published.state == "speech"


def test_a_double_clicked_application_is_one_application(monkeypatch, world, published, posts):
    from jinjie.selections.models import Application
    from jinjie.selections.services import applications

    real = applications.check_employee

    def slow(selection, employee):
        result = real(selection, employee)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(applications, "check_employee", slow)
    apply = lambda: sv.application_apply(  # noqa: E731
        selection=published.pk, post=posts["客服部主任"].pk, employee=world.people["zhang"].pk, actor=world.users["zhang"]
    )
    outcomes = race(apply, apply)
    assert sum(isinstance(o, SelectionError) for o in outcomes) == 1, outcomes
    assert Application.objects.filter(employee=world.people["zhang"]).count() == 1
