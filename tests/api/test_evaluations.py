"""Running an evaluation and reading its proposals through the API (SPEC 2.3, 8)."""

import pytest

from jinjie.evaluations.models import EvaluationRun, Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def test_the_committee_runs_its_own_subtree_and_gets_the_counts(client_for, rulebooks, staff, give_scores):
    give_scores(staff["zhang"], (85, 86, 84))
    give_scores(staff["wang"], (85, 86, 84))
    response = client_for(Role.COMMITTEE).post("/api/evaluations/", {"period": "2026Q3"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["org_unit"] == "某省公司/甲市局"
    assert response.data["counts"]["grade_up"] == 1  # 张三, case A
    assert response.data["counts"]["incomplete"] == 1  # 李四 has no scores
    assert sum(response.data["counts"].values()) == 2  # 王五 of 乙市局 is not in the run
    assert not Proposal.objects.filter(employee=staff["wang"]).exists()
    zhang = Proposal.objects.get(employee=staff["zhang"])
    assert (zhang.from_rank, zhang.to_rank, zhang.move) == ("初级B", "初级A", "grade_up")


def test_hr_may_run_a_county_inside_its_subtree(client_for, rulebooks, staff):
    response = client_for(Role.HR).post(
        "/api/evaluations/", {"period": "2026Q3", "org": "某省公司/甲市局/甲县局"}, format="json"
    )
    assert response.status_code == 201
    assert response.data["org_unit"] == "某省公司/甲市局/甲县局"
    assert EvaluationRun.objects.get().started_by.username == "hr"


def test_running_another_citys_unit_is_not_found(client_for, rulebooks, staff):
    response = client_for(Role.COMMITTEE).post(
        "/api/evaluations/", {"period": "2026Q3", "org": "某省公司/乙市局"}, format="json"
    )
    assert response.status_code == 404
    assert not EvaluationRun.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.ASSESSOR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR, Role.DISCIPLINE, Role.EMPLOYEE]
)
def test_other_roles_may_not_run_an_evaluation(client_for, rulebooks, staff, role):
    response = client_for(role).post("/api/evaluations/", {"period": "2026Q3"}, format="json")
    assert response.status_code == 403
    assert str(response.data["detail"]).startswith("您的角色")
    assert not EvaluationRun.objects.exists()


def test_anonymous_may_not_run_an_evaluation(anon, rulebooks):
    assert anon.post("/api/evaluations/", {"period": "2026Q3"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "message"),
    [({"period": "2026Q5"}, "测评期"), ({}, "period"), ({"period": "2026Q3x1"}, "period")],
)
def test_a_bad_period_is_a_400_in_chinese_and_writes_nothing(client_for, rulebooks, staff, body, message):
    response = client_for(Role.COMMITTEE).post("/api/evaluations/", body, format="json")
    assert response.status_code == 400
    assert message in response.data["detail"]
    assert not EvaluationRun.objects.exists()


def test_no_rule_book_in_force_is_a_400_not_a_500(client_for, staff):
    response = client_for(Role.COMMITTEE).post("/api/evaluations/", {"period": "2026Q3"}, format="json")
    assert response.status_code == 400
    assert "评定标准" in response.data["detail"]


# --- proposals -----------------------------------------------------------------------------------


def test_proposals_of_a_period_are_listed_within_the_subtree(client_for, evaluated):
    response = client_for(Role.COMMITTEE).get("/api/proposals/", {"period": "2026Q3"})
    assert response.status_code == 200
    rows = {r["employee_no"]: r for r in response.data["results"]}
    assert set(rows) == {"A001", "A002"}
    assert rows["A001"]["move"] == "grade_up"
    assert rows["A001"]["move_label"] == "晋档"
    assert rows["A001"]["route"] == ["track_review"]
    assert rows["A001"]["state"] == "draft"
    assert "reasons" not in rows["A001"]


def test_proposals_filter_by_move_state_and_org(client_for, evaluated):
    committee = client_for(Role.COMMITTEE)

    def nos(**params):
        return [r["employee_no"] for r in committee.get("/api/proposals/", {"period": "2026Q3", **params}).data["results"]]

    assert nos(move="grade_up") == ["A001"]
    assert nos(state="no_action") == ["A002"]
    assert nos(org="某省公司/甲市局/甲县局") == ["A001", "A002"]
    assert nos(org="某省公司/乙市局") == []
    assert nos(period="2026Q2") == []


def test_the_proposal_list_needs_a_period(client_for, evaluated):
    response = client_for(Role.COMMITTEE).get("/api/proposals/")
    assert response.status_code == 400
    assert "period" in response.data["detail"]
    bad = client_for(Role.COMMITTEE).get("/api/proposals/", {"period": "2026Q3", "move": "promote"})
    assert bad.status_code == 400
    assert "不是合法选项" in bad.data["detail"]


def test_an_employee_sees_only_their_own_proposal(client_for, evaluated):
    response = client_for(Role.EMPLOYEE).get("/api/proposals/", {"period": "2026Q3"})
    assert [r["employee_no"] for r in response.data["results"]] == ["A001"]
    assert client_for(Role.EMPLOYEE).get(f"/api/proposals/{evaluated['A002'].pk}/").status_code == 404


def test_a_proposal_shows_its_reasons_in_chinese(client_for, evaluated):
    response = client_for(Role.EMPLOYEE).get(f"/api/proposals/{evaluated['A001'].pk}/")
    assert response.status_code == 200
    reasons = {r["label"]: r for r in response.data["reasons"]}
    assert any("平均绩效" in label for label in reasons)
    assert all({"required", "actual", "passed", "text"} <= set(r) for r in response.data["reasons"])
    assert response.data["rulebook_version"] == 1


def test_another_units_proposal_is_not_found(client_for, evaluated):
    assert client_for(Role.COMMITTEE).get(f"/api/proposals/{evaluated['B001'].pk}/").status_code == 404
    assert client_for("committee_b").get(f"/api/proposals/{evaluated['B001'].pk}/").status_code == 200
    assert client_for(Role.COMMITTEE).get("/api/proposals/999999/").status_code == 404


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.DISCIPLINE])
def test_roles_without_proposal_access_are_refused(client_for, evaluated, role):
    assert client_for(role).get("/api/proposals/", {"period": "2026Q3"}).status_code == 403
    # 纪检监察 may read a proposal an objection concerns: one without any is not found.
    expected = 404 if role == Role.DISCIPLINE else 403
    assert client_for(role).get(f"/api/proposals/{evaluated['A001'].pk}/").status_code == expected


def test_proposals_are_not_written_through_the_list(client_for, evaluated):
    response = client_for(Role.COMMITTEE).patch(
        f"/api/proposals/{evaluated['A001'].pk}/", {"state": "approved", "to_rank": "高级A"}, format="json"
    )
    assert response.status_code == 405
    evaluated["A001"].refresh_from_db()
    assert (evaluated["A001"].state, evaluated["A001"].to_rank) == ("draft", "初级A")
