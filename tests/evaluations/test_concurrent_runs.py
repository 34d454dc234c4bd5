"""Two runs of the same period at once take turns instead of colliding (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from jinjie.evaluations.models import EvaluationRun, Proposal
from jinjie.evaluations.services import evaluation_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def test_a_second_run_waits_for_the_first_and_then_replaces_its_drafts(examples, tree):
    inside = threading.Event()
    errors = []

    def first():
        def progress(stage, done, total):
            # Called inside the transaction once the proposals are written: hold it open a while.
            if stage == "测评" and total and done == total:
                inside.set()
                threading.Event().wait(1.0)

        try:
            evaluation_run(period="2026Q3", progress=progress)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    def second():
        inside.wait(10)
        try:
            evaluation_run(period="2026Q3", org_unit=tree["city"])
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    runs = list(EvaluationRun.objects.order_by("finished_at"))
    assert [r.org_unit_id for r in runs] == [None, tree["city"].pk]
    assert Proposal.objects.count() == 8
    assert set(Proposal.objects.values_list("run_id", flat=True)) == {runs[1].pk}
