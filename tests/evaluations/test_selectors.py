"""Reads of a period's outcomes: counts per move, filtered lists, one proposal — all within the reader's scope."""

import pytest

from jinjie.evaluations.models import Proposal
from jinjie.evaluations.selectors import evaluation_latest_run, proposal_counts, proposal_get, proposal_list
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(make, tree):
    make("C1", tree["county"], rank="初级B", scores=(50, 50, 50))  # level_down
    make("C2", tree["county"], rank="初级B", scores=(85, 86, 84))  # hold (training missing)
    make("O1", tree["other"], rank="初级B", scores=(50, 50, 50))  # level_down
    make("O2", tree["other"], rank="初级B", scores=(85, None, 84))  # incomplete
    return evaluation_run(period="2026Q3")


def test_counts_per_move_cover_every_move_and_follow_the_scope(two_units, tree):
    all_counts = proposal_counts(period="2026Q3")
    assert list(all_counts) == ["grade_up", "level_up", "skip_grade", "skip_level", "grade_down", "level_down",
                                "hold", "incomplete"]
    assert (all_counts["level_down"], all_counts["hold"], all_counts["incomplete"]) == (2, 1, 1)
    city = proposal_counts(period="2026Q3", org_unit=tree["city"])
    assert (city["level_down"], city["hold"], city["incomplete"]) == (1, 1, 0)
    assert proposal_counts(period="2026Q4")["hold"] == 0


def test_a_superseded_proposal_is_not_counted(two_units):
    Proposal.objects.filter(employee__employee_no="C1").update(state="superseded")
    assert proposal_counts(period="2026Q3")["level_down"] == 1


def test_lists_filter_by_move_state_and_subtree(two_units, tree):
    assert [p.employee.employee_no for p in proposal_list(period="2026Q3", move="level_down")] == ["C1", "O1"]
    assert [p.employee.employee_no for p in proposal_list(period="2026Q3", state="no_action")] == ["C2", "O2"]
    assert [p.employee.employee_no for p in proposal_list(period="2026Q3", org_unit=tree["other"])] == ["O1", "O2"]


def test_a_user_reads_only_their_subtree_and_an_employee_only_their_own(two_units, tree):
    committee = User.objects.create(username="w", role=Role.COMMITTEE, org_unit=tree["city"])
    assert [p.employee.employee_no for p in proposal_list(period="2026Q3", user=committee)] == ["C1", "C2"]
    assert proposal_counts(period="2026Q3", user=committee)["level_down"] == 1
    o1 = Proposal.objects.get(employee__employee_no="O1")
    with pytest.raises(Proposal.DoesNotExist):
        proposal_get(pk=o1.pk, user=committee)
    me = User.objects.create(username="o1", role=Role.EMPLOYEE, org_unit=tree["other"], employee=o1.employee)
    assert proposal_get(pk=o1.pk, user=me).employee.employee_no == "O1"
    assert [p.employee.employee_no for p in proposal_list(period="2026Q3", user=me)] == ["O1"]


def test_the_latest_run_of_a_scope(two_units, tree):
    assert evaluation_latest_run(period="2026Q3") == two_units
    assert evaluation_latest_run(period="2026Q3", org_unit=tree["city"]) is None
    again = evaluation_run(period="2026Q3", org_unit=tree["city"])
    assert evaluation_latest_run(period="2026Q3", org_unit=tree["city"]) == again
