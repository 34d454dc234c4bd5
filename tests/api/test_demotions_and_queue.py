"""Immediate demotions (committee), reassignment cases (HR) and a decider's work queue."""

from datetime import date

import pytest

from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.people.models import RankChange, Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def violation(staff):
    return Violation.objects.create(employee=staff["zhang"], date=date(2026, 10, 3), severity="严重", description="违规售烟")


def demote(client, **overrides):
    body = {"employee_no": "A001", "violation_date": "2026-10-03", "to_level": "grade", "comment": "情节严重"}
    body.update(overrides)
    return client.post("/api/immediate-demotions/", body, format="json")


def test_the_committee_demotes_at_once_for_a_violation(client_for, rulebooks, violation, today):
    response = demote(client_for(Role.COMMITTEE))
    assert response.status_code == 201, response.data
    assert (response.data["kind"], response.data["from_rank"], response.data["to_rank"]) == ("immediate", "初级B", "初级C")
    assert response.data["move"] == "grade_down"
    assert response.data["state"] == "approved"  # default route: the committee alone
    assert response.data["steps"][0]["step"] == "committee"


def test_a_violation_that_is_not_there_is_a_chinese_400(client_for, rulebooks, violation, today):
    response = demote(client_for(Role.COMMITTEE), violation_date="2026-10-04")
    assert response.status_code == 400
    assert response.data["detail"] == "张三 在 2026-10-04 没有相符的违规记录"
    assert not Proposal.objects.exists()


def test_the_same_violation_demotes_once(client_for, rulebooks, violation, today):
    assert demote(client_for(Role.COMMITTEE)).status_code == 201
    again = demote(client_for(Role.COMMITTEE), to_level="level")
    assert again.status_code == 400
    assert Proposal.objects.count() == 1


def test_another_units_employee_cannot_be_demoted(client_for, rulebooks, staff, today):
    Violation.objects.create(employee=staff["wang"], date=date(2026, 10, 3), severity="严重")
    assert demote(client_for(Role.COMMITTEE), employee_no="B001").status_code == 404
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("role", [Role.HR, Role.LEADER, Role.DIRECTOR, Role.EMPLOYEE, Role.ASSESSOR])
def test_only_the_committee_demotes_at_once(client_for, rulebooks, violation, today, role):
    assert demote(client_for(role)).status_code == 403
    assert not Proposal.objects.exists()


def test_a_demotion_cannot_choose_its_own_rank(client_for, rulebooks, violation, today):
    response = demote(client_for(Role.COMMITTEE), to_rank="见习")
    assert response.status_code == 400
    assert "不接受的字段：to_rank" in response.data["detail"]


def test_hr_sees_the_reassignment_cases_of_its_subtree(client_for, rulebooks, staff, violation, today):
    zhang = staff["zhang"]
    zhang.current_rank = "初级C"
    zhang.save(update_fields=["current_rank"])
    RankChange.objects.create(employee=zhang, effective_date=date(2026, 4, 1), from_rank="初级B", to_rank="初级C")
    assert demote(client_for(Role.COMMITTEE), to_level="level").data["reassign"] is True
    response = client_for(Role.HR).get("/api/reassignment-cases/")
    assert response.status_code == 200
    (case,) = response.data
    assert case["employee"]["employee_no"] == "A001"
    assert case["employee"]["id_number"] == "110105********002X"
    assert [c["to_rank"] for c in case["rank_history"]] == ["初级C"]
    assert client_for("hr_b").get("/api/reassignment-cases/").data == []
    assert client_for(Role.COMMITTEE).get("/api/reassignment-cases/").status_code == 403


def test_a_decider_sees_the_proposals_waiting_for_them(client_for, make_proposal, staff):
    waiting = make_proposal(staff["li"])  # committee › leader, at the committee
    make_proposal(staff["wang"])  # the other city's
    committee = client_for(Role.COMMITTEE).get("/api/proposals/queue/")
    assert committee.status_code == 200
    # Paginated like every list of the API.
    assert committee.data["count"] == 1
    assert [p["id"] for p in committee.data["results"]] == [waiting.pk]
    assert client_for(Role.LEADER).get("/api/proposals/queue/").data["results"] == []
    assert client_for(Role.EMPLOYEE).get("/api/proposals/queue/").status_code == 403
