"""Lists cost a handful of queries whatever their length (ARCHITECTURE 10)."""

from datetime import date

import pytest

from jinjie.org.models import Role
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(tree, make_proposal):
    people = [
        Employee.objects.create(
            org_unit=tree["county_a"], employee_no=f"M{i:03}", name=f"员工{i}", track="客户经理",
            role_start_date=date(2020, 1, 1), current_rank="中级C",
        )
        for i in range(40)
    ]
    return [make_proposal(e) for e in people]


def test_the_employee_list_does_not_grow_with_the_employees(client_for, many, django_assert_max_num_queries):
    hr = client_for(Role.HR)
    with django_assert_max_num_queries(4):
        response = hr.get("/api/employees/")
    assert response.data["count"] == 42  # 40 + 张三, 李四


def test_the_proposal_list_does_not_grow_with_the_proposals(client_for, many, django_assert_max_num_queries):
    committee = client_for(Role.COMMITTEE)
    with django_assert_max_num_queries(4):
        response = committee.get("/api/proposals/", {"period": "2026Q3"})
    assert response.data["count"] == 40


def test_the_decision_queue_does_not_grow_with_the_proposals(client_for, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client_for(Role.COMMITTEE).get("/api/proposals/queue/")
    assert response.data["count"] == 40
    assert len(response.data["results"]) == 40
