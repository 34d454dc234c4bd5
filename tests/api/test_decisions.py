"""Submitting and deciding proposals through the API (SPEC 1, 2.4): the services decide, the API
checks the role, the scope and the fields, and answers every refusal in Chinese."""

import pytest

from jinjie.approvals.models import ApprovalStep
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def state_of(proposal):
    proposal.refresh_from_db()
    return proposal.state


# --- submit --------------------------------------------------------------------------------------


def test_the_committee_submits_a_draft(client_for, evaluated):
    zhang = evaluated["A001"]
    response = client_for(Role.COMMITTEE).post(f"/api/proposals/{zhang.pk}/submit/")
    assert response.status_code == 200, response.data
    assert response.data["count"] == 1
    assert response.data["proposals"][0]["state"] == "in_review"
    assert state_of(zhang) == "in_review"


def test_the_committee_submits_the_whole_period_of_its_unit(client_for, evaluated):
    response = client_for(Role.COMMITTEE).post("/api/proposals/submit/", {"period": "2026Q3"}, format="json")
    assert response.status_code == 200, response.data
    assert [p["employee_no"] for p in response.data["proposals"]] == ["A001"]  # 李四 is no_action
    assert state_of(evaluated["B001"]) == "draft"  # 乙市局 untouched


def test_submit_by_ids_refuses_another_units_proposal_and_writes_nothing(client_for, evaluated):
    ids = [evaluated["A001"].pk, evaluated["B001"].pk]
    response = client_for(Role.COMMITTEE).post("/api/proposals/submit/", {"ids": ids}, format="json")
    assert response.status_code == 404
    assert f"#{evaluated['B001'].pk}" in response.data["detail"]
    assert state_of(evaluated["A001"]) == "draft"


def test_submitting_a_no_action_outcome_is_a_chinese_400(client_for, evaluated):
    response = client_for(Role.COMMITTEE).post("/api/proposals/submit/", {"ids": [evaluated["A002"].pk]}, format="json")
    assert response.status_code == 400
    assert "只有待提交的建议可以提交" in response.data["detail"]
    assert response.data["errors"][0]["id"] == evaluated["A002"].pk


def test_submit_needs_ids_or_a_period(client_for, evaluated):
    response = client_for(Role.COMMITTEE).post("/api/proposals/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.data["detail"] == "请指定 ids(建议编号) 或 period(测评期) 之一"


@pytest.mark.parametrize("role", [Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.EMPLOYEE, Role.DISCIPLINE])
def test_only_the_committee_submits(client_for, evaluated, role):
    zhang = evaluated["A001"]
    assert client_for(role).post(f"/api/proposals/{zhang.pk}/submit/").status_code == 403
    assert client_for(role).post("/api/proposals/submit/", {"period": "2026Q3"}, format="json").status_code == 403
    assert state_of(zhang) == "draft"


def test_another_units_committee_cannot_submit(client_for, evaluated):
    assert client_for("committee_b").post(f"/api/proposals/{evaluated['A001'].pk}/submit/").status_code == 404


# --- decide --------------------------------------------------------------------------------------


@pytest.fixture
def submitted(client_for, evaluated):
    client_for(Role.COMMITTEE).post("/api/proposals/submit/", {"period": "2026Q3"}, format="json")
    return evaluated["A001"]  # 张三 初级B → 初级A, route track_review


def test_the_track_reviewer_approves_and_the_step_is_recorded(client_for, submitted):
    response = client_for(Role.TRACK_REVIEWER).post(
        f"/api/proposals/{submitted.pk}/decide/", {"decision": "approve", "comment": "同意"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["proposal"]["state"] == "approved"
    assert response.data["step"]["step"] == "track_review"
    assert response.data["step"]["decision_label"] == "同意"
    assert response.data["fallback"] is None
    detail = client_for(Role.EMPLOYEE).get(f"/api/proposals/{submitted.pk}/").data
    assert [(s["step"], s["decision"], s["actor"]) for s in detail["steps"]] == [("track_review", "approve", "reviewer")]
    assert detail["current_step"] is None


def test_a_rejection_needs_a_reason_in_chinese(client_for, submitted):
    response = client_for(Role.TRACK_REVIEWER).post(
        f"/api/proposals/{submitted.pk}/decide/", {"decision": "reject"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["detail"] == "请填写不同意的理由"
    assert state_of(submitted) == "in_review"


def test_a_bad_decision_word_is_a_chinese_400(client_for, submitted):
    response = client_for(Role.TRACK_REVIEWER).post(
        f"/api/proposals/{submitted.pk}/decide/", {"decision": "yes"}, format="json"
    )
    assert response.status_code == 400
    assert "不是合法选项" in response.data["detail"]


def test_fields_a_decider_may_not_set_are_refused(client_for, submitted):
    response = client_for(Role.TRACK_REVIEWER).post(
        f"/api/proposals/{submitted.pk}/decide/",
        {"decision": "approve", "state": "applied", "to_rank": "高级A"},
        format="json",
    )
    assert response.status_code == 400
    assert "不接受的字段：state、to_rank" in response.data["detail"]
    submitted.refresh_from_db()
    assert (submitted.state, submitted.to_rank) == ("in_review", "初级A")
    assert not ApprovalStep.objects.exists()


def test_the_wrong_role_for_the_current_step_is_a_403_with_the_reason(client_for, submitted):
    response = client_for(Role.LEADER).post(
        f"/api/proposals/{submitted.pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 403
    assert "序列审核" in response.data["detail"]
    assert state_of(submitted) == "in_review"


@pytest.mark.parametrize("role", [Role.HR, Role.ASSESSOR, Role.DISCIPLINE, Role.EMPLOYEE])
def test_roles_that_never_decide_are_refused(client_for, submitted, role):
    response = client_for(role).post(f"/api/proposals/{submitted.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 403
    assert str(response.data["detail"]).startswith("您的角色")
    assert state_of(submitted) == "in_review"


def test_another_units_proposal_cannot_be_decided(client_for, evaluated):
    wang = evaluated["B001"]
    response = client_for(Role.COMMITTEE).post(f"/api/proposals/{wang.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 404


def test_anonymous_cannot_decide(anon, submitted):
    assert anon.post(f"/api/proposals/{submitted.pk}/decide/", {"decision": "approve"}, format="json").status_code == 401


def test_a_double_submitted_approval_is_recorded_once(client_for, submitted):
    reviewer = client_for(Role.TRACK_REVIEWER)
    body = {"decision": "approve", "step_index": 0}
    assert reviewer.post(f"/api/proposals/{submitted.pk}/decide/", body, format="json").status_code == 200
    again = reviewer.post(f"/api/proposals/{submitted.pk}/decide/", body, format="json")
    assert again.status_code == 400
    assert "不能审批" in again.data["detail"]
    assert ApprovalStep.objects.filter(proposal=submitted).count() == 1


def test_deciding_a_draft_is_a_chinese_400(client_for, evaluated):
    response = client_for(Role.TRACK_REVIEWER).post(
        f"/api/proposals/{evaluated['A001'].pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert "待提交" in response.data["detail"]


# --- batch ---------------------------------------------------------------------------------------


@pytest.fixture
def committee_steps(make_proposal, staff):
    """Two proposals waiting for the committee (grade_up within 中级: committee › leader)."""
    from jinjie.people.models import Employee

    other = Employee.objects.create(
        org_unit=staff["li"].org_unit, employee_no="A003", name="赵六", track="客户经理",
        role_start_date=staff["li"].role_start_date, current_rank="中级C",
    )
    return [make_proposal(staff["li"]), make_proposal(other)]


def test_the_committee_approves_a_batch(client_for, committee_steps):
    ids = [p.pk for p in committee_steps]
    response = client_for(Role.COMMITTEE).post(
        "/api/proposals/decide-batch/", {"ids": ids, "decision": "approve", "comment": "集体研究同意"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["count"] == 2
    for p in committee_steps:
        p.refresh_from_db()
        assert (p.state, p.step_index) == ("in_review", 1)  # now the leader's step
    assert ApprovalStep.objects.filter(step="committee", comment="集体研究同意").count() == 2


def test_a_batch_with_one_refused_item_writes_nothing_and_lists_it(client_for, committee_steps, make_proposal, staff):
    reviewer_step = make_proposal(staff["zhang"], route=("track_review",), to_rank="初级A")
    ids = [p.pk for p in committee_steps] + [reviewer_step.pk]
    response = client_for(Role.COMMITTEE).post(
        "/api/proposals/decide-batch/", {"ids": ids, "decision": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["detail"].startswith("共 1 项不能办理，全部未处理")
    assert [e["id"] for e in response.data["errors"]] == [reviewer_step.pk]
    assert not ApprovalStep.objects.exists()


def test_a_batch_naming_another_units_proposal_is_not_found(client_for, committee_steps, make_proposal, staff):
    foreign = make_proposal(staff["wang"])
    ids = [committee_steps[0].pk, foreign.pk]
    response = client_for(Role.COMMITTEE).post(
        "/api/proposals/decide-batch/", {"ids": ids, "decision": "approve"}, format="json"
    )
    assert response.status_code == 404
    assert "王五" not in response.data["detail"]
    assert not ApprovalStep.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [], "decision": "approve"},
        {"ids": ["x"], "decision": "approve"},
        {"ids": "1,2", "decision": "approve"},
        {"ids": [1], "decision": "approve", "state": "approved"},
    ],
)
def test_bad_batch_input_is_a_chinese_400(client_for, committee_steps, body):
    response = client_for(Role.COMMITTEE).post("/api/proposals/decide-batch/", body, format="json")
    assert response.status_code == 400
    assert response.data["detail"]
    assert not ApprovalStep.objects.exists()


@pytest.mark.parametrize("role", [Role.HR, Role.EMPLOYEE, Role.DISCIPLINE, Role.ASSESSOR])
def test_roles_that_never_decide_cannot_batch(client_for, committee_steps, role):
    ids = [p.pk for p in committee_steps]
    response = client_for(role).post("/api/proposals/decide-batch/", {"ids": ids, "decision": "approve"}, format="json")
    assert response.status_code == 403
    assert Proposal.objects.filter(state="in_review", step_index=0).count() == 2
