"""员工档案: HR corrects a granted 专卖管理员 level's date; the old record stays (SPEC 3.1)."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.org.models import Role
from jinjie.people.models import Qualification

from .conftest import make_employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(tree):
    emp = make_employee(tree["county_a"], "M001", "专管甲", track="专卖管理员", current_rank="初级专卖管理员")
    return Qualification.objects.create(employee=emp, level="初级专卖管理员", granted_date=date(2023, 5, 1))


def _url(q):
    return reverse("web:qualification_correct", args=[q.employee_id, q.pk])


def test_hr_sees_the_form_and_corrects_the_date_with_a_reason(client_for, granted):
    client = client_for(Role.HR)
    page = client.get(reverse("web:employee", args=[granted.employee_id])).content.decode()
    assert _url(granted) in page
    response = client.post(_url(granted), {"granted_date": "2023-07-01", "reason": "以发文日期为准"}, follow=True)
    assert "已更正 初级专卖管理员 的取得日期为 2023-07-01" in response.content.decode()
    assert "（已更正：以发文日期为准）" in response.content.decode()
    assert Qualification.history.count() == 2


def test_a_correction_without_a_reason_is_refused_and_writes_nothing(client_for, granted):
    response = client_for(Role.HR).post(_url(granted), {"granted_date": "2023-07-01", "reason": ""}, follow=True)
    assert "请填写更正原因" in response.content.decode()
    assert Qualification.history.count() == 1


def test_other_roles_and_other_cities_cannot_correct(client_for, granted):
    assert client_for(Role.COMMITTEE).post(_url(granted), {"granted_date": "2023-07-01", "reason": "改"}).status_code == 403
    assert _url(granted) not in client_for(Role.COMMITTEE).get(reverse("web:employee", args=[granted.employee_id])).content.decode()
    assert client_for("hr_b").post(_url(granted), {"granted_date": "2023-07-01", "reason": "改"}).status_code == 404
    assert Qualification.history.count() == 1
