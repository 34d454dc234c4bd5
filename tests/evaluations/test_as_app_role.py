"""The quarterly run as production runs it on PostgreSQL: connected as the application's role,
which owns no table. Its COPY of the drafts, the re-run's delete of them and the planner statistics
it asks for must all work without the owner's rights."""

import pytest
from django.core.management import call_command

from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from tests.app_role import acting_as

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_the_application_role_evaluates_a_quarter_and_evaluates_it_again(app_role, examples):
    call_command("init", app_role=app_role)
    with acting_as(app_role):
        first = evaluation_run(period="2026Q3")
        again = evaluation_run(period="2026Q3")  # deletes the drafts and writes them anew
    assert first.counts == again.counts == {
        "grade_up": 1, "level_up": 1, "skip_grade": 1, "skip_level": 0,
        "grade_down": 1, "level_down": 1, "hold": 2, "incomplete": 1,
    }
    assert Proposal.objects.filter(period="2026Q3").count() == 8
    assert set(Proposal.objects.values_list("run_id", flat=True)) == {again.pk}
