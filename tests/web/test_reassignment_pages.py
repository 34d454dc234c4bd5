"""调整岗位 on the page and in the API: HR records the decision and closes the case; it stays readable."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.models import ReassignmentClosure
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff, rulebooks, today):
    """赵六 demoted to 见习 a second time in a row, effective 2026-10-05."""
    return Proposal.objects.create(
        kind="immediate", period="2026Q4", employee=staff["zhao"], from_rank="初级C", to_rank="见习", move="level_down",
        route=["committee"], reassign=True, state="applied", effective_date=date(2026, 10, 5),
        summary="即时降级：初级C → 见习；连续两次降级，建议调整岗位",
    )


def test_hr_closes_a_case_from_the_page_and_finds_it_under_closed(client_for, case):
    client = client_for(Role.HR)
    page = client.get(reverse("web:reassignments")).content.decode()
    assert "赵六" in page and "记录决定并办结" in page
    response = client.post(
        reverse("web:reassignment_close", args=[case.pk]),
        {"outcome": "new_post", "new_post": "订单部综合岗", "decided_on": "2026-10-08", "comment": "经研究"},
        follow=True,
    )
    text = response.content.decode()
    assert "赵六 的调整岗位已办结（调整到新岗位）" in text
    assert "订单部综合岗" in text and "2026-10-08" in text  # the closed tab shows the decision
    assert "记录决定并办结" not in text
    assert "赵六" not in client.get(reverse("web:reassignments")).content.decode()  # no longer open
    home = client.get(reverse("web:home")).content.decode()
    assert "赵六 初级C → 见习" not in home


def test_a_bad_close_is_refused_in_chinese_and_writes_nothing(client_for, case):
    client = client_for(Role.HR)
    response = client.post(reverse("web:reassignment_close", args=[case.pk]),
                           {"outcome": "new_post", "decided_on": "2026-10-08"}, follow=True)
    assert "请填写新岗位" in response.content.decode()
    response = client.post(reverse("web:reassignment_close", args=[case.pk]), {"outcome": "other"}, follow=True)
    assert "决定日期" in response.content.decode()
    assert not ReassignmentClosure.objects.exists()


def test_only_hr_closes_and_another_citys_hr_finds_nothing(client_for, case):
    body = {"outcome": "other", "decided_on": "2026-10-08", "comment": "调离"}
    assert client_for(Role.COMMITTEE).post(reverse("web:reassignment_close", args=[case.pk]), body).status_code == 403
    assert client_for("hr_b").post(reverse("web:reassignment_close", args=[case.pk]), body).status_code == 404
    assert not ReassignmentClosure.objects.exists()


def test_the_api_closes_a_case_and_lists_it_with_its_decision(client_for, case):
    client = client_for(Role.HR)
    response = client.post(f"/api/reassignment-cases/{case.pk}/close/",
                           {"outcome": "other", "decided_on": "2026-10-08", "comment": "本人申请调离"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["outcome_label"] == "其他处理"
    (listed,) = client.get("/api/reassignment-cases/").json()
    assert listed["closed"] is True and listed["closure"]["comment"] == "本人申请调离"
    again = client.post(f"/api/reassignment-cases/{case.pk}/close/",
                        {"outcome": "other", "decided_on": "2026-10-08", "comment": "再次"}, content_type="application/json")
    assert again.status_code == 400 and "已经办结" in again.json()["detail"]
    assert client_for(Role.COMMITTEE).post(f"/api/reassignment-cases/{case.pk}/close/", {}, content_type="application/json").status_code == 403
