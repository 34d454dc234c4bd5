"""Every page: the roles that use it get 200, every other role 403, anonymous the login page;
another unit's or another employee's objects are not found (404), never shown."""

import pytest
from django.test import Client
from django.urls import reverse

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db

STAFF = (Role.HR, Role.ASSESSOR, Role.TRACK_REVIEWER, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR, Role.DISCIPLINE)
ALL = (*STAFF, Role.EMPLOYEE)

# url name → roles that get 200 (every other role: 403)
PAGES = {
    "web:periods": (Role.COMMITTEE, Role.HR),
    "web:proposals": (Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR),
    "web:notices": ALL,
    "web:notice_new": (Role.COMMITTEE,),
    "web:objections": (Role.COMMITTEE, Role.DISCIPLINE),
    "web:employees": (Role.HR, Role.COMMITTEE, Role.ASSESSOR),
    "web:reassignments": (Role.HR,),
    "web:rulebooks": ALL,
    "web:imports": (Role.HR, Role.ASSESSOR),
    "web:career": (Role.EMPLOYEE,),  # staff logins here have no employee record
    "web:selections": ALL,  # each sees the selections the selectors give them
    "web:selection_new": (Role.HR,),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_admits_its_roles_and_refuses_the_others(client_for, evaluated, name):
    url = reverse(name)
    for role in ALL:
        response = client_for(role).get(url)
        expected = 200 if role in PAGES[name] else 403
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"
        if expected == 403:
            assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("name", [*sorted(PAGES), "web:home"])
def test_anonymous_users_are_sent_to_the_login_page(db, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_home_page_shows_each_staff_role_its_work_and_sends_employees_to_their_career_page(client_for, evaluated):
    for role in STAFF:
        response = client_for(role).get("/")
        assert response.status_code == 200
        assert "工作台" in response.content.decode()
    response = client_for(Role.EMPLOYEE).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("web:career")


def test_a_proposal_of_another_city_is_not_found(client_for, evaluated):
    theirs = evaluated["B001"]
    for role in (Role.COMMITTEE, Role.HR, Role.LEADER, Role.TRACK_REVIEWER):
        assert client_for(role).get(reverse("web:proposal", args=[theirs.pk])).status_code == 404
    assert client_for("committee_b").get(reverse("web:proposal", args=[theirs.pk])).status_code == 200


def test_an_employee_reads_their_own_proposal_and_nobody_elses(client_for, evaluated):
    mine, colleague = evaluated["A001"], evaluated["A002"]
    client = client_for(Role.EMPLOYEE)
    assert client.get(reverse("web:proposal", args=[mine.pk])).status_code == 200
    assert client.get(reverse("web:proposal", args=[colleague.pk])).status_code == 404


def test_roles_without_proposals_are_refused_a_proposal_page(client_for, evaluated):
    mine = evaluated["A001"]
    for role in (Role.ASSESSOR, Role.DISCIPLINE):
        assert client_for(role).get(reverse("web:proposal", args=[mine.pk])).status_code == 403


def test_an_employee_file_of_another_city_is_not_found(client_for, staff):
    url = reverse("web:employee", args=[staff["wang"].pk])
    assert client_for(Role.HR).get(url).status_code == 404
    assert client_for(Role.COMMITTEE).get(url).status_code == 404
    assert client_for("hr_b").get(url).status_code == 200


def test_the_employee_list_holds_only_the_users_subtree(client_for, staff):
    page = client_for(Role.HR).get(reverse("web:employees")).content.decode()
    assert "张三" in page and "赵六" in page
    assert "王五" not in page


def test_an_employee_page_masks_the_id_number(client_for, staff):
    page = client_for(Role.HR).get(reverse("web:employee", args=[staff["zhang"].pk])).content.decode()
    assert "110105********002X" in page
    assert "11010519491231002X" not in page


def test_an_unknown_page_gets_the_chinese_404(client_for, users):
    response = client_for(Role.HR).get("/no-such-page/")
    assert response.status_code == 404
    assert "没有找到" in response.content.decode()


def test_hr_reveals_a_full_id_number_and_the_reading_is_logged(client_for, staff):
    from jinjie.people.models import PiiAccessLog

    url = reverse("web:employee_reveal", args=[staff["zhang"].pk])
    assert "查看完整号码" in client_for(Role.HR).get(reverse("web:employee", args=[staff["zhang"].pk])).content.decode()
    response = client_for(Role.HR).post(url, headers={"HX-Request": "true"})
    assert "11010519491231002X" in response.content.decode()
    assert PiiAccessLog.objects.filter(employee=staff["zhang"]).count() == 1
    # The committee reads the file but never the full number; another city's HR does not find it.
    assert "查看完整号码" not in client_for(Role.COMMITTEE).get(reverse("web:employee", args=[staff["zhang"].pk])).content.decode()
    assert client_for(Role.COMMITTEE).post(url).status_code == 403
    assert client_for("hr_b").post(url).status_code == 404
    assert PiiAccessLog.objects.count() == 1


def test_only_superusers_find_the_admin_in_the_menu(client_for, users):
    users[Role.HR].is_staff = True
    users[Role.HR].save()
    assert "系统管理" not in client_for(Role.HR).get(reverse("web:rulebooks")).content.decode()
    users[Role.COMMITTEE].is_superuser = True
    users[Role.COMMITTEE].save()
    assert "系统管理" in client_for(Role.COMMITTEE).get(reverse("web:rulebooks")).content.decode()
