"""Chinese first; the chrome, 我的职业发展, proposals, notices and employees pages are also available in English."""

import pytest
from django.urls import reverse

from jinjie.approvals.services import proposal_submit
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default(client_for, users, rulebooks):
    page = client_for(Role.COMMITTEE).get("/").content.decode()
    assert "工作台" in page and "退出" in page and 'lang="zh-hans"' in page


def test_english_can_be_chosen(client_for, users, rulebooks):
    client = client_for(Role.COMMITTEE)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Workbench" in page and "Log out" in page and "Waiting for my decision" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_my_career_page_has_english_headings_when_english_is_chosen(client_for, staff, rulebooks, today):
    english = _english(client_for(Role.EMPLOYEE)).get(reverse("web:career")).content.decode()
    for text in ("My career", "Current rank", "Rank pay (monthly)", "Promotion gap", "Rank changes", "Monthly performance scores"):
        assert text in english, text
    assert "晋升差距" not in english and "职级变动" not in english
    # Data stays as stored: the employee's name and rank are not translated.
    assert "张三" in english and "初级A" in english


def test_my_career_page_stays_chinese_without_the_choice(client_for, staff, rulebooks, today):
    chinese = client_for(Role.EMPLOYEE).get(reverse("web:career")).content.decode()
    for text in ("我的职业发展", "当前职级", "职级工资(月)", "晋升差距", "职级变动", "月度绩效考核"):
        assert text in chinese, text
    assert "Promotion gap" not in chinese and "Rank changes" not in chinese


def test_the_proposal_page_has_english_headings_when_english_is_chosen(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    url = reverse("web:proposal", args=[zhang.pk])
    english = _english(client_for(Role.COMMITTEE)).get(url).content.decode()
    for text in ("From rank", "Proposed rank", "Grounds", "Approval route", "History", "Submit decision"):
        assert text in english, text
    assert "审批路径" not in english and "评定依据" not in english
    chinese = client_for(Role.COMMITTEE).get(url).content.decode()
    for text in ("原职级", "建议职级", "评定依据", "审批路径", "办理记录", "提交意见"):
        assert text in chinese, text
    assert "Approval route" not in chinese


def test_the_lists_of_proposals_notices_and_employees_have_english_headers(client_for, evaluated):
    client = _english(client_for(Role.COMMITTEE))
    for url, texts in (
        (reverse("web:proposals"), ("Employee no.", "Current step", "Act on the selected proposals")),
        (reverse("web:notices"), ("Notice period", "No notices yet")),
        (reverse("web:objections"), ("Open", "Resolved", "No objections")),
        (reverse("web:employees"), ("Rank since", "Employee no./name")),
    ):
        page = client.get(url).content.decode()
        for text in texts:
            assert text in page, (url, text)
