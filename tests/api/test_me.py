"""GET /api/me/: an employee's own rank, history and the exact gap to the next rank (SPEC 5)."""

from datetime import date

import pytest

from jinjie.org.models import Role
from jinjie.people.models import RankChange

pytestmark = pytest.mark.django_db


def test_an_employee_reads_their_rank_and_gap(client_for, rulebooks, staff, give_scores):
    give_scores(staff["zhang"], (85, 86, 84))
    RankChange.objects.create(employee=staff["zhang"], effective_date=date(2026, 1, 1), from_rank="初级C", to_rank="初级B")
    response = client_for(Role.EMPLOYEE).get("/api/me/", {"period": "2026Q3"})
    assert response.status_code == 200, response.data
    assert response.data["employee"]["employee_no"] == "A001"
    assert response.data["employee"]["id_number"] == "110105********002X"
    assert [c["to_rank"] for c in response.data["rank_history"]] == ["初级B"]
    gap = response.data["gap"]
    assert gap["period"] == "2026Q3"
    assert gap["current_rank"] == "初级B"
    next_grade, next_level = gap["targets"]
    # Case A of SPEC 8: qualifies for 初级A; 中级C needs far more (36 months, 四级, 86 …).
    assert (next_grade["target"], next_grade["met"], next_grade["gap"]) == ("初级A", True, "")
    assert next_level["target"] == "中级C"
    assert next_level["met"] is False
    assert "职业技能等级" in next_level["gap"] or "技能" in next_level["gap"]


def test_missing_data_is_named_in_the_gap(client_for, rulebooks, staff):
    gap = client_for(Role.EMPLOYEE).get("/api/me/", {"period": "2026Q3"}).data["gap"]
    assert gap["targets"][0]["met"] is False
    assert "缺少" in gap["targets"][0]["gap"]


def test_the_gap_defaults_to_the_latest_complete_quarter(client_for, rulebooks, staff):
    response = client_for(Role.EMPLOYEE).get("/api/me/")
    assert response.status_code == 200
    assert len(response.data["gap"]["period"]) == 6


def test_a_bad_period_is_a_400_in_chinese(client_for, rulebooks, staff):
    response = client_for(Role.EMPLOYEE).get("/api/me/", {"period": "2026Q9"})
    assert response.status_code == 400
    assert "测评期" in response.data["detail"]


def test_a_login_without_an_employee_gets_404_in_chinese(client_for, rulebooks):
    response = client_for(Role.HR).get("/api/me/")
    assert response.status_code == 404
    assert response.data["detail"] == "当前账号没有关联员工"


def test_anonymous_gets_401(anon):
    assert anon.get("/api/me/").status_code == 401
