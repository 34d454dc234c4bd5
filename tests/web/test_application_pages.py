"""The 申报 pages (SPEC 3.1): HR opens a round, a 专卖管理员 applies on 我的职业发展, HR closes it,
专卖监督管理科 reviews, the committee decides in a batch from the round's page; PDF and Excel."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.services import application_apply, round_close, round_open
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

from .conftest import make_employee, make_user

pytestmark = pytest.mark.django_db


def monopoly_admin(unit, no, name):
    e = make_employee(unit, no, name, track="专卖管理员", current_rank="初级专卖管理员", role_start_date=date(2022, 1, 1),
                      education="大专", pay_grade=9, law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=e, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", score=85, passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating="良好")
    return e


@pytest.fixture
def world(tree, users, rulebooks, today):
    m1 = monopoly_admin(tree["county_a"], "M001", "孙专管")
    m2 = monopoly_admin(tree["county_a"], "M002", "钱专管")
    m3 = monopoly_admin(tree["city_b"], "M101", "冯专管")
    return {
        "m1": m1, "m2": m2, "m3": m3,
        "m1_login": make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=m1),
        "m3_login": make_user("feng", Role.EMPLOYEE, tree["city_b"], employee=m3),
        "zhuanmai": make_user("zhuanmai", Role.TRACK_REVIEWER, tree["city_a"], track="市场管理员", first_name="专卖科"),
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def round_(world, users, tree):
    return round_open(actor=users[Role.HR], title="2026年第四季度申报", org_unit=tree["city_a"],
                      levels=["中级专卖管理员"], opens=date(2026, 10, 1), closes=date(2026, 10, 31),
                      today=date(2026, 9, 30))


def test_hr_opens_a_round_from_the_form(world, client_for, tree):
    client = client_for(Role.HR)
    assert "发起申报批次" in client.get(reverse("web:rounds")).content.decode()
    response = client.post(reverse("web:round_new"), {
        "title": "2026年第四季度申报", "org_unit": tree["city_a"].pk, "levels": ["中级专卖管理员", "高级专卖管理员"],
        "opens": "2026-10-09", "closes": "2026-10-31", "check_date": "",
    }, follow=True)
    page = response.content.decode()
    assert "已发起申报批次“2026年第四季度申报”" in page
    r = ApplicationRound.objects.get()
    assert (r.levels, r.check_date) == (["中级专卖管理员", "高级专卖管理员"], date(2026, 10, 31))
    assert "申报中" in page


def test_a_refused_round_shows_why_on_the_form(world, client_for, tree):
    response = client_for(Role.HR).post(reverse("web:round_new"), {
        "title": "批次", "org_unit": tree["city_a"].pk, "levels": ["中级专卖管理员"], "opens": "2026-10-09",
        "closes": "2026-10-31", "check_date": "2026-11-30",
    })
    assert response.status_code == 200
    assert "资格审查基准日（2026-11-30）不能晚于申报截止日期（2026-10-31）" in response.content.decode()
    assert not ApplicationRound.objects.exists()


def test_the_employee_sees_the_round_with_its_conditions_and_applies(world, round_):
    client = login(world["m1_login"])
    page = client.get(reverse("web:career")).content.decode()
    assert "2026年第四季度申报" in page and "申报 中级专卖管理员" in page
    assert "按资格审查基准日 2026-10-31 核对" in page and 'id="apply-button"' in page
    assert 'id="apply-button" disabled' not in page
    response = client.post(reverse("web:round_apply", args=[round_.pk]), {"level": "中级专卖管理员"}, follow=True)
    page = response.content.decode()
    assert "已申报 中级专卖管理员（孙专管）" in page
    assert "您已于" in page and 'id="my-applications"' in page
    assert Application.objects.get().employee == world["m1"]


def test_an_employee_short_of_a_condition_sees_what_is_missing_and_cannot_apply(world, round_):
    AnnualRating.objects.filter(employee=world["m1"]).update(rating="合格")
    client = login(world["m1_login"])
    page = client.get(reverse("web:career")).content.decode()
    assert "还差：上年度专卖双能 合格 &lt; 良好" in page
    assert 'id="apply-button" disabled' in page
    response = client.post(reverse("web:round_apply", args=[round_.pk]), {"level": "中级专卖管理员"}, follow=True)
    assert "孙专管 不能申报中级专卖管理员，还差：上年度专卖双能 合格 &lt; 良好" in response.content.decode()
    assert not Application.objects.exists()


def test_an_employee_outside_the_round_does_not_see_it(world, round_):
    page = login(world["m3_login"]).get(reverse("web:career")).content.decode()
    assert "2026年第四季度申报" not in page
    assert login(world["m3_login"]).post(reverse("web:round_apply", args=[round_.pk])).status_code == 404


def test_hr_applies_on_behalf_by_employee_number_and_from_the_qualified_list(world, round_, client_for):
    client = client_for(Role.HR)
    response = client.post(reverse("web:round_apply", args=[round_.pk]), {"employee_no": "M001"}, follow=True)
    assert "已申报 中级专卖管理员（孙专管）" in response.content.decode()
    page = client.get(reverse("web:round_qualified", args=[round_.pk])).content.decode()
    assert "钱专管" in page and "孙专管" not in page and "已有申报尚未办结 1 人" in page
    response = client.post(reverse("web:round_qualified", args=[round_.pk]), {"ids": [world["m2"].pk]}, follow=True)
    assert "已代为申报 1 人" in response.content.decode()
    assert Application.objects.count() == 2
    # Another city's employee is not in scope: not found, nothing written.
    assert client.post(reverse("web:round_qualified", args=[round_.pk]), {"ids": [world["m3"].pk]}).status_code == 404
    response = client.post(reverse("web:round_apply", args=[round_.pk]), {"employee_no": "M101"}, follow=True)
    assert "不存在或不在您的管理范围内" in response.content.decode()
    assert Application.objects.count() == 2


def test_from_close_to_review_to_the_committees_batch_decision(world, round_, users, client_for):
    application_apply(actor=users[Role.HR], round=round_, employee=world["m1"])
    application_apply(actor=users[Role.HR], round=round_, employee=world["m2"])
    hr = client_for(Role.HR)
    page = hr.get(reverse("web:round", args=[round_.pk])).content.decode()
    assert "截止申报并审查" in page and page.count("已申报") >= 2
    response = hr.post(reverse("web:round_close", args=[round_.pk]), follow=True)
    assert "资格审查通过 2 人，未通过 0 人" in response.content.decode()

    reviewer = login(world["zhuanmai"])
    assert "待审核的专卖管理员等级申报" in reviewer.get("/").content.decode()
    for a in Application.objects.order_by("pk"):
        page = reviewer.get(reverse("web:application", args=[a.pk])).content.decode()
        assert 'id="review-form"' in page and "结果已" not in page
        response = reviewer.post(reverse("web:application_review", args=[a.pk]),
                                 {"manual.1": "1", "manual.2": "1", "comment": "符合"}, follow=True)
        assert "审核通过" in response.content.decode()
    ids = list(Proposal.objects.values_list("pk", flat=True))
    assert len(ids) == 2

    committee = client_for(Role.COMMITTEE)
    page = committee.get(reverse("web:round", args=[round_.pk])).content.decode()
    assert 'id="batch-decide"' in page
    next_url = reverse("web:round", args=[round_.pk])
    response = committee.post(reverse("web:proposals_batch"), {"ids": ids, "decision": "approve", "comment": "同意", "next": next_url}, follow=True)
    assert "已同意 2 条建议" in response.content.decode()
    assert set(Proposal.objects.values_list("step_index", flat=True)) == {1}
    page = committee.get(next_url).content.decode()
    assert "审批中（公示）" in page and "2 份申报待公示" in page
    # The proposal page links back to the application.
    assert 'id="application-link"' in committee.get(reverse("web:proposal", args=[ids[0]])).content.decode()


def test_only_a_monopoly_reviewer_sees_the_review_form_and_a_bad_review_writes_nothing(world, round_, users, client_for):
    a = application_apply(actor=users[Role.HR], round=round_, employee=world["m1"])
    round_close(actor=users[Role.HR], round=round_)
    assert 'id="review-form"' not in client_for(Role.TRACK_REVIEWER).get(reverse("web:application", args=[a.pk])).content.decode()
    assert client_for(Role.TRACK_REVIEWER).post(reverse("web:application_review", args=[a.pk]), {"manual.1": "1", "manual.2": "1"}).status_code == 403
    response = login(world["zhuanmai"]).post(reverse("web:application_review", args=[a.pk]), {"manual.1": "1", "manual.2": "0"}, follow=True)
    assert "认定为不符合时，请在审核意见中写明理由" in response.content.decode()
    response = login(world["zhuanmai"]).post(reverse("web:application_review", args=[a.pk]), {"manual.1": "1"}, follow=True)
    assert "请认定：" in response.content.decode()
    a.refresh_from_db()
    assert a.state == "checked"


def test_withdrawing_from_the_application_page(world, round_):
    client = login(world["m1_login"])
    client.post(reverse("web:round_apply", args=[round_.pk]), {"level": "中级专卖管理员"})
    a = Application.objects.get()
    page = client.get(reverse("web:application", args=[a.pk])).content.decode()
    assert "撤回申报" in page
    response = client.post(reverse("web:application_withdraw", args=[a.pk]), follow=True)
    assert "已撤回 孙专管 的 中级专卖管理员 申报" in response.content.decode()
    a.refresh_from_db()
    assert a.state == "withdrawn"


def test_the_form_as_pdf_and_the_round_as_excel(world, round_, users, client_for):
    a = application_apply(actor=users[Role.HR], round=round_, employee=world["m1"])
    response = login(world["m1_login"]).get(reverse("web:application_pdf", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client_for(Role.HR).get(reverse("web:round_export", args=[round_.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["employee_no", "name", "org_unit", "level", "state", "failed", "manual", "decided_at"]
    assert [c.value for c in sheet[2]][:5] == ["M001", "孙专管", "某省公司/甲市局/甲县局", "中级专卖管理员", "submitted"]
    assert client_for(Role.COMMITTEE).get(reverse("web:round_export", args=[round_.pk])).status_code == 403


def test_the_rounds_list_counts_per_status(world, round_, users, client_for):
    application_apply(actor=users[Role.HR], round=round_, employee=world["m1"])
    page = client_for(Role.HR).get(reverse("web:rounds")).content.decode()
    assert "2026年第四季度申报" in page and "已申报 <strong>1</strong>" in page
    assert client_for("hr_b").get(reverse("web:round", args=[round_.pk])).status_code == 404
    assert client_for(Role.EMPLOYEE).get(reverse("web:rounds")).status_code == 403


def test_the_apply_card_has_english_when_english_is_chosen(world, round_):
    client = login(world["m1_login"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("web:career")).content.decode()
    assert "Apply for 中级专卖管理员" in page and "checked as of the round's check date, 2026-10-31" in page
    assert "Level applications" not in page  # an employee has no rounds page in the menu


def test_a_big_rounds_qualified_list_is_computed_in_the_background_and_says_when(world, round_, users, client_for, settings):
    from django.core.management import call_command

    from jinjie.core.models import Job

    settings.JINJIE_QUALIFIED_LIVE_MAX = 1  # 甲市局 has two 专卖管理员: "big"
    client = client_for(Role.HR)
    url = reverse("web:round_qualified", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "名单需在后台计算，尚未计算" in page and "钱专管" not in page and "计算合格人员名单" in page
    response = client.post(reverse("web:round_qualified_compute", args=[round_.pk]))
    job = Job.objects.get(kind="qualified_list")
    assert response.url == reverse("web:job", args=[job.pk])
    call_command("worker", "--burst", verbosity=0)
    done = client.get(reverse("web:job_progress", args=[job.pk])).content.decode()
    assert "已核对 2 名在岗专卖管理员，条件全部满足 2 人" in done and url in done
    application_apply(actor=users[Role.HR], round=round_, employee=world["m1"])
    page = client.get(url).content.decode()
    assert "钱专管" in page and "孙专管" not in page and "已有申报尚未办结 1 人" in page
    assert "计算（2 人）" in page and "重新计算" in page
