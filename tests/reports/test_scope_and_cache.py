"""The groups a report compares, and the cached aggregates following every change of their rows."""

import pytest

from jinjie.approvals.services import proposal_decide, proposal_submit
from jinjie.evaluations.models import ProposalState
from jinjie.org.models import OrgUnit, Role
from jinjie.reports.cache import fingerprint, proposal_rows
from jinjie.reports.outcomes import flows, pay_changes
from jinjie.reports.scope import report_scope
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


def test_a_city_is_split_into_its_counties_and_its_own_people(users, tree):
    scope = report_scope(user=users[Role.LEADER], unit=tree["city_a"])
    assert [(g.label, g.own) for g in scope.groups] == [("甲县局", False), ("丙县局", False), ("甲市局（本级）", True)]
    deeper = OrgUnit.objects.create(name="甲县局营销部", parent=tree["county_a"])
    scope = report_scope(user=users[Role.LEADER], unit=tree["city_a"])
    # A unit further down is counted in the county it belongs to.
    assert scope.groups[scope.group_of(deeper.pk)].label == "甲县局"
    assert scope.group_of(tree["city_b"].pk) is None
    # 本级 is shown only when it has data; the counties always.
    assert scope.shown(set()) == [0, 1]
    assert scope.shown({2}) == [0, 1, 2]


def test_the_fingerprint_moves_with_inserts_and_workflow_steps(users, evaluated):
    before = fingerprint(*proposal_rows())
    proposal_submit(proposals=[evaluated["A"]], actor=users[Role.COMMITTEE])
    assert fingerprint(*proposal_rows()) != before


def test_a_cached_report_follows_the_workflow(users, tree, evaluated):
    def state_of_a():
        # 甲县局's pay after the period's changes: A's counts once it is decided.
        row = pay_changes(user=users[Role.LEADER], unit=tree["city_a"], period=Q3).chart("pay").rows[0]
        return row[3]  # 甲县局, 变动后

    first = state_of_a()
    assert flows(user=users[Role.LEADER], unit=tree["city_a"], period=Q3).chart("flows").rows  # cached now
    committee = users[Role.COMMITTEE]
    proposal_submit(proposals=[evaluated["A"]], actor=committee)
    evaluated["A"].refresh_from_db()
    assert evaluated["A"].state == ProposalState.IN_REVIEW
    proposal_decide(proposal=evaluated["A"], actor=users[Role.TRACK_REVIEWER], decision="approve")
    evaluated["A"].refresh_from_db()
    assert evaluated["A"].state == ProposalState.APPROVED
    assert state_of_a() == first + 200  # 初级B 2600 → 初级A 2800, decided
