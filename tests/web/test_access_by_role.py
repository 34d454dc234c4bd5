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
    # 职业发展 (SPEC 5, 2.6)
    "web:portal": ALL,
    "web:portal_standards": ALL,
    "web:portal_new": (Role.HR,),
    "web:talks": (Role.HR, Role.LEADER, Role.EMPLOYEE),
    "web:talk_new": (Role.HR, Role.LEADER),
    "web:mentorships": ALL,  # anyone may be a mentor; the list holds their own pairings
    "web:mentorship_new": (Role.HR,),
    "web:surveys": ALL,  # the surveys to answer; HR also manages
    "web:survey_new": (Role.HR,),
    "web:schemes": ALL,
    "web:favour": (Role.HR, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR),
    "web:users": (Role.HR,),
    "web:password_change": ALL,
    "web:rounds": (Role.HR, Role.COMMITTEE, Role.TRACK_REVIEWER),
    "web:round_new": (Role.HR,),
    "web:reports": (Role.HR, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR),
    "web:whatif": (Role.HR,),
    "web:my_objections": ALL,  # whoever filed: each sees their own
    "web:proposals_export": (Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR),
    "web:employees_export": (Role.HR,),
    "web:queue": (Role.TRACK_REVIEWER, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR),
    "web:queue_export": (Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR),
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


def test_the_plans_list_is_for_hr_and_leaders_and_an_employee_goes_to_their_own(client_for, evaluated, staff):
    for role in ALL:
        response = client_for(role).get(reverse("web:plans"))
        expected = {Role.HR: 200, Role.LEADER: 200, Role.EMPLOYEE: 302}.get(role, 403)
        assert response.status_code == expected, role
    assert client_for(Role.EMPLOYEE).get(reverse("web:plans"))["Location"] == reverse("web:plan", args=[staff["zhang"].pk])


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
    assert client_for(Role.ASSESSOR).get(reverse("web:proposal", args=[mine.pk])).status_code == 403
    # 纪检监察 reads the proposals that objections concern (tests/web/test_discipline_reads_proposals.py);
    # one without an objection is not found.
    assert client_for(Role.DISCIPLINE).get(reverse("web:proposal", args=[mine.pk])).status_code == 404


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


_WHATIF_RESULT = {"columns": ["工号"], "rows": [["A002"]], "book_version": 2, "period": "2026Q3",
                  "org_unit": "东海省/甲市局", "counts_current": {}}
_PDF_RESULT = {"file": "0" * 32 + ".pdf", "filename": "approval-forms.pdf", "count": 1}


@pytest.mark.parametrize(("route", "kind", "state", "result"), [
    ("web:job", "evaluation_run", "queued", None),
    ("web:job_progress", "evaluation_run", "queued", None),
    ("web:job_export", "whatif_run", "succeeded", _WHATIF_RESULT),  # what a job made, too
    ("web:job_file", "approval_forms_pdf", "succeeded", _PDF_RESULT),
])
def test_a_job_and_what_it_made_are_its_creators_whatever_the_role_and_not_found_for_everyone_else(
    client_for, users, route, kind, state, result, settings, tmp_path
):
    from jinjie.core.models import Job

    settings.JINJIE_JOB_FILES_DIR = tmp_path
    (tmp_path / _PDF_RESULT["file"]).write_bytes(b"%PDF-1.4 test")
    for owner in ALL:
        job = Job.objects.create(kind=kind, label="任务", created_by=users[owner], state=state, result=result)
        url = reverse(route, args=[job.pk])
        for role in ALL:
            expected = 200 if role == owner else 404
            assert client_for(role).get(url).status_code == expected, f"{route} of {owner} as {role}"
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")


def test_the_health_check_answers_anyone_without_a_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "ok"
def test_a_round_and_an_application_of_another_city_are_not_found_and_other_roles_refused(client_for, users, tree, rulebooks, today):
    from datetime import date

    from jinjie.applications.services import application_apply, round_open
    from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

    from .conftest import make_employee

    theirs = make_employee(tree["city_b"], "M101", "冯专管", track="专卖管理员", current_rank="初级专卖管理员",
                           role_start_date=date(2022, 1, 1), education="大专", pay_grade=9,
                           law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=theirs, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=theirs, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", passed=True)
    AnnualRating.objects.create(employee=theirs, year=2025, kind="专卖双能", rating="良好")
    r = round_open(actor=users["hr_b"], title="乙市局申报", org_unit=tree["city_b"], levels=["中级专卖管理员"],
                   opens=date(2026, 10, 1), closes=date(2026, 10, 31))
    a = application_apply(actor=users["hr_b"], round=r, employee=theirs)
    for role in (Role.HR, Role.COMMITTEE, Role.TRACK_REVIEWER):
        assert client_for(role).get(reverse("web:round", args=[r.pk])).status_code == 404
        assert client_for(role).get(reverse("web:application", args=[a.pk])).status_code == 404
    assert client_for(Role.EMPLOYEE).get(reverse("web:application", args=[a.pk])).status_code == 404
    for role in (Role.ASSESSOR, Role.LEADER, Role.DIRECTOR, Role.DISCIPLINE):
        assert client_for(role).get(reverse("web:application", args=[a.pk])).status_code == 403
        assert client_for(role).get(reverse("web:round", args=[r.pk])).status_code == 403
    assert client_for("hr_b").get(reverse("web:application", args=[a.pk])).status_code == 200
def test_only_hr_opens_the_rule_book_editor(client_for, rulebooks, users, tree):
    from datetime import date

    from jinjie.rulebooks.models import BookKind, RuleBook
    from jinjie.rulebooks.services import rulebook_create_draft

    published = RuleBook.objects.get(kind=BookKind.LADDER)
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=published.document, effective_from=date(2027, 1, 1), org_unit=tree["city_a"])
    urls = [
        reverse("web:rulebook_new", args=["ladder"]),
        reverse("web:rulebook_new", args=["monopoly"]),
        reverse("web:rulebook_new", args=["ladder"]) + "?mode=json",
        reverse("web:rulebook_edit", args=[draft.pk]),
        reverse("web:rulebook_edit", args=[draft.pk]) + "?mode=json",
        reverse("web:rulebook", args=[draft.pk]),
    ]
    detail = urls[-1]
    for url in urls:
        for role in ALL:
            response = client_for(role).get(url)
            # The draft's own page is a read: to the roles that read standards, a draft is not found.
            expected = 200 if role == Role.HR else (404 if url == detail else 403)
            assert response.status_code == expected, f"{url} as {role}: {response.status_code}"
        assert Client().get(url).status_code == 302
    # Another city's HR does not find 甲市局's draft.
    assert client_for("hr_b").get(reverse("web:rulebook_edit", args=[draft.pk])).status_code == 404
