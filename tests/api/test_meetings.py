"""The API's decide and decide-batch take the committee's meeting; the step reads it back."""

from datetime import date

import pytest

from jinjie.approvals import clock
from jinjie.approvals.models import ApprovalStep, Meeting
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db

MEETING = {"held_on": "2026-10-08", "minutes_no": "考评〔2026〕3号", "attendees": "郑晓东、王委员"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 9))


def test_a_committee_decision_carries_its_meeting(client_for, staff, make_proposal):
    p = make_proposal(staff["zhang"], to_rank="初级A", route=("committee", "leader"))
    response = client_for(Role.COMMITTEE).post(
        f"/api/proposals/{p.pk}/decide/", {"decision": "approve", "meeting": MEETING}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["step"]["meeting"] == MEETING
    detail = client_for(Role.COMMITTEE).get(f"/api/proposals/{p.pk}/").data
    assert detail["steps"][0]["meeting"]["minutes_no"] == "考评〔2026〕3号"


def test_a_batch_carries_one_meeting_and_a_leader_cannot_record_one(client_for, staff, make_proposal):
    p = make_proposal(staff["zhang"], to_rank="初级A", route=("committee", "leader"))
    response = client_for(Role.COMMITTEE).post(
        "/api/proposals/decide-batch/", {"ids": [p.pk], "decision": "approve", "meeting": MEETING}, format="json"
    )
    assert response.status_code == 200, response.data
    assert Meeting.objects.count() == 1
    refused = client_for(Role.LEADER).post(
        f"/api/proposals/{p.pk}/decide/", {"decision": "approve", "meeting": MEETING}, format="json"
    )
    assert refused.status_code == 400 and "会议记录只用于考评委员会的决定" in refused.data["detail"]
    assert ApprovalStep.objects.filter(proposal=p).count() == 1


def test_a_meeting_without_its_number_is_a_400(client_for, staff, make_proposal):
    p = make_proposal(staff["zhang"], to_rank="初级A", route=("committee", "leader"))
    response = client_for(Role.COMMITTEE).post(
        f"/api/proposals/{p.pk}/decide/", {"decision": "approve", "meeting": {"held_on": "2026-10-08"}}, format="json"
    )
    assert response.status_code == 400
    assert not ApprovalStep.objects.exists()
