"""One selection from draft to appointment in a real browser (Debian's chromium, headless), as HR,
an applicant, two judges and the leader; every step screenshotted to test-artifacts/screenshots/
(selection-NN-*.png).

HR drafts and publishes 客服部主任 and names two judges; 张三 reads his check on 我的职业发展 and
the posting and applies (李四 applied too); after the deadline HR closes 报名, confirms both, enters
the 笔试 and confirms it; each judge fills in their own sheet (and sees no one else's marks); HR
confirms the speech, enters the ballots, confirms, fixes the inspection list and records the
inspections; the leader decides; HR publishes the 任前公示; after it, apply-due writes the post.

PostgreSQL only, like the other browser walk: live_server needs a transactional database, which
SQLite cannot empty past the append-only triggers.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from web.test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures

from jinjie.people.models import PostAssignment
from jinjie.selections import services as sv
from jinjie.selections.models import Selection

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_selection_from_draft_to_appointment_in_the_browser(page: Page, live_server, world, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    walk = Walk(page, live_server.url, prefix="selection-")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    today(date(2026, 6, 1))

    # HR drafts the selection.
    walk.login("hr")
    walk.go("/selections/")
    page.get_by_role("link", name="新建竞聘").click()
    page.get_by_label("组织单位").select_option(label="　甲市局")
    page.get_by_label("竞聘名称").fill("2026年客服部主任竞聘")
    page.get_by_label("报名截止日期").fill("2026-06-30")
    page.get_by_label("竞聘职位").fill("客服部主任 | 1 | 负责客户服务中心全面工作")
    walk.shot("hr-drafts")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#messages")).to_contain_text("已起草竞聘 JP2026-001")
    page.get_by_role("button", name="发布竞聘公告").click()
    expect(page.locator("#selection-state")).to_have_text("报名中")
    for judge in ("评委1", "评委2"):
        page.locator("#judges select[name=user]").select_option(label=f"{judge}（考评委员会）")
        page.get_by_role("button", name="指定评委").click()
        expect(page.locator("#judges")).to_contain_text(judge)
    walk.shot("hr-published-with-judges")
    walk.logout()
    selection = Selection.objects.get()

    # 张三 sees the posting on 我的职业发展, reads his check and applies.
    walk.login("zhang")
    expect(page.locator("#open-selections")).to_contain_text("您符合报名条件")
    walk.shot("applicant-career")
    page.get_by_role("link", name="2026年客服部主任竞聘").click()
    expect(page.locator("#criteria-table")).to_contain_text("上年度年度考核")
    expect(page.locator("#criteria-table")).not_to_contain_text("不符合")
    walk.shot("applicant-posting")
    page.get_by_role("button", name="报名").click()
    expect(page.locator("#messages")).to_contain_text("已报名“客服部主任”")
    walk.shot("applicant-applied")
    walk.logout()
    sv.application_apply(selection=selection, post=selection.posts.get(), employee=world.people["li"], actor=world.users["li"])

    # After the deadline HR closes 报名, reviews, enters the written test.
    today(date(2026, 7, 1))
    walk.login("hr")
    walk.go(f"/selections/{selection.pk}/")
    page.get_by_role("button", name="截止报名并自动核对条件").click()
    expect(page.locator("#selection-state")).to_have_text("资格审查")
    for name in ("张三", "李四"):
        row = page.locator("#application-table tr", has_text=name)
        row.get_by_role("button", name="审查").click()
        expect(page.locator("#application-table tr", has_text=name)).to_contain_text("审查通过")
    walk.shot("hr-review")
    page.get_by_role("button", name="资格审查完成").click()
    page.get_by_label("张三 的笔试成绩").fill("85")
    page.get_by_label("李四 的笔试成绩").fill("80.5")
    page.get_by_role("button", name="保存笔试成绩").click()
    expect(page.locator("#messages")).to_contain_text("笔试成绩已录入 2 条")
    page.get_by_role("button", name="确认笔试成绩").click()
    expect(page.locator("#selection-state")).to_have_text("演讲答辩")
    walk.shot("hr-speech-stage")
    walk.logout()

    # Two judges, each on their own sheet.
    for judge, marks in (("judge1", ("90", "84")), ("judge2", ("88", "86"))):
        walk.login(judge)
        expect(page.get_by_text("待我评分(演讲答辩)")).to_be_visible()
        walk.go(f"/selections/{selection.pk}/sheet/")
        expect(page.locator("#judge-sheet")).not_to_contain_text("90.00")  # judge2 never sees judge1's mark
        page.get_by_label("张三 的评分").fill(marks[0])
        page.get_by_label("李四 的评分").fill(marks[1])
        walk.shot(f"{judge}-sheet")
        page.get_by_role("button", name="保存评分").click()
        expect(page.locator("#messages")).to_contain_text("评分已保存 2 条")
        walk.logout()

    # HR: the speech is confirmed (marks shown now), ballots, the inspection list and the inspections.
    walk.login("hr")
    walk.go(f"/selections/{selection.pk}/")
    expect(page.locator("#judge-progress")).to_contain_text("已评 2 / 2 人")
    expect(page.locator("#ranking-table")).not_to_contain_text("90.00")
    page.get_by_role("button", name="确认演讲答辩成绩").click()
    expect(page.locator("#ranking-table")).to_contain_text("89.00")
    for name, counts in (("张三", ("20", "8", "2", "0")), ("李四", ("15", "10", "5", "0"))):
        for label, value in zip(("优秀", "称职", "基本称职", "不称职"), counts, strict=True):
            page.get_by_label(f"{name} {label}票数", exact=True).fill(value)
    page.get_by_role("button", name="保存票数").click()
    page.get_by_role("button", name="确认民主测评结果").click()
    expect(page.locator("#selection-state")).to_have_text("排名")
    walk.shot("hr-ranking")
    page.get_by_role("button", name="确定考察人选").click()
    for name in ("张三", "李四"):
        page.get_by_label("考察对象").select_option(label=f"{name}（客服部主任）")
        page.get_by_label("考察组成员").fill("组织人事科 王、纪检监察室 赵")
        page.get_by_label("考察日期").fill("2026-07-20")
        page.get_by_label("考察情况").fill("政治素质好，群众公认度高。")
        page.get_by_role("button", name="保存考察记录").click()
        expect(page.locator("#inspections")).to_contain_text(name)
    walk.shot("hr-inspections")
    walk.logout()

    # The leader decides: the best position is proposed.
    walk.login("leader")
    walk.go(f"/selections/{selection.pk}/")
    expect(page.locator("#decide-form input[type=checkbox]:checked")).to_have_count(1)
    walk.shot("leader-decides")
    page.get_by_role("button", name="作出任用决定").click()
    expect(page.locator("#decision")).to_contain_text("张三 — 客服部主任")
    walk.logout()

    # HR publishes the 任前公示 (5 working days).
    today(date(2026, 7, 27))
    walk.login("hr")
    walk.go(f"/selections/{selection.pk}/")
    page.get_by_role("button", name=re.compile("发布任前公示")).click()
    expect(page.locator("#messages")).to_contain_text("公示期 2026-07-28 至 2026-08-03")
    page.locator("#decision").get_by_role("link", name=re.compile("任前公示")).click()
    expect(page.locator("#notice-doc")).to_contain_text("拟任职务")
    walk.shot("notice")

    # The notice ends; apply-due writes the post; the dossier ends appointed.
    from jinjie.approvals.services import apply_due

    assert apply_due(today=date(2026, 8, 4)).applied == 1
    walk.go(f"/selections/{selection.pk}/")
    expect(page.locator("#selection-state")).to_have_text("任职")
    walk.shot("appointed-dossier")
    post = PostAssignment.objects.get()
    assert (post.employee, post.post, post.start_date) == (world.people["zhang"], "客服部主任", date(2026, 8, 4))

    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
