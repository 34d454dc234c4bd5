"""Career development in a real browser (Debian's chromium, headless; PostgreSQL only, as the
other walk explains): HR pairs a mentor; the employee adds the actions of their gap to their plan;
the mentor reads the mentee and comments; the employee answers the survey anonymously; HR reads
the aggregates. Every page is screenshotted to test-artifacts/screenshots/dev-*.png."""

from datetime import date

import pytest
from bureau import make_employee, make_user
from playwright.sync_api import Page, expect

from jinjie.org.models import Role

from .test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - the chromium set-up

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_plan_mentor_and_survey_in_the_browser(page: Page, live_server, users, staff, rulebooks, tree, today):
    from jinjie.assessments.schemes import schemes_load_defaults
    from jinjie.development.models import Answer, PlanComment, PlanVersion
    from jinjie.development.services import survey_answer, survey_create, survey_open

    today(date(2026, 10, 9))
    schemes_load_defaults()
    sun = make_employee(tree["county_a"], "A010", "孙老师", current_rank="中级B", role_start_date=date(2015, 1, 1))
    make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=sun)
    hr = users[Role.HR]
    survey = survey_open(survey=survey_create(
        actor=hr, title="2026 年职业满意度调查", org_unit=tree["city_a"], tracks=["客户经理"], opens=date(2026, 10, 1),
        closes=date(2026, 10, 31), questions=[
            {"kind": "scale", "text": "您对职业发展机会满意吗？"},
            {"kind": "choice", "text": "最希望参加的培训", "options": ["营销技能", "法律法规"]},
            {"kind": "text", "text": "您的建议"},
        ]), actor=hr)
    for i in range(5):  # five colleagues answered already: with 赵六 the group of 甲县局 has six
        e = make_employee(tree["county_a"], f"S{i}", f"同事{i}")
        u = make_user(f"s{i}", Role.EMPLOYEE, tree["county_a"], employee=e)
        q = {x.position: x.pk for x in survey.questions.all()}
        survey_answer(survey=survey, actor=u, answers={q[1]: str(3 + i % 3), q[2]: "营销技能", q[3]: f"建议{i}"})

    walk = Walk(page, live_server.url, prefix="dev-")

    # HR pairs 孙老师 with 赵六 and reads the portal.
    walk.login("hr")
    walk.go("/mentorships/new/")
    page.get_by_label("导师工号").fill("A010")
    page.get_by_label("学员工号").fill("A002")
    page.get_by_label("结束日期").fill("2027-09-30")
    page.get_by_label("带教目标").fill("一年内达到中级C的条件")
    walk.shot("hr-pairs-a-mentor")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="导师结对")).to_be_visible()
    walk.shot("hr-mentorship")
    walk.go("/portal/standards/")
    expect(page.locator("body")).to_contain_text("卷烟营销指标")
    walk.shot("portal-standards")
    walk.logout()

    # 赵六 adds the gap's actions to the plan, then edits one.
    walk.login("zhao")
    walk.go("/me/")
    expect(page.locator("#projection")).to_contain_text("保持当前绩效")
    walk.shot("career-projection")
    page.get_by_role("link", name="个人发展计划").first.click()
    page.get_by_role("button", name="从晋升差距添加行动").click()
    expect(page.locator("#messages")).to_contain_text("从晋升差距添加")
    expect(page.locator("#plan-actions")).to_contain_text("来自晋升差距")
    walk.shot("plan-with-gap-actions")
    page.locator("#plan-edit summary").click()
    page.get_by_label("目标职级/等级").select_option("中级C")
    page.locator("select[name=action_status]").first.select_option("doing")
    page.get_by_role("button", name="保存新版本").click()
    expect(page.locator("#plan-versions")).to_contain_text("第 2 版")
    walk.shot("plan-version-2")
    walk.logout()

    # The mentor reads rank, gap and plan, and comments.
    walk.login("sun")
    walk.go("/mentorships/")
    page.get_by_role("link", name="查看").first.click()
    expect(page.locator("#mentee-view")).to_contain_text("初级B")
    walk.shot("mentor-reads-mentee")
    page.locator("#comment-plan").click()
    page.locator("#comments textarea").fill("先补齐职业技能等级，再冲刺中级C。")
    page.locator("#comment-submit").click()
    expect(page.locator("#comments")).to_contain_text("先补齐职业技能等级")
    walk.shot("mentor-commented")
    walk.logout()

    # 赵六 answers the survey.
    walk.login("zhao")
    walk.go("/surveys/")
    page.get_by_role("link", name="2026 年职业满意度调查").click()
    page.locator("label[for$='-4']").first.click()
    page.get_by_label("营销技能").check()
    page.locator("#survey-form textarea").fill("希望多组织培训")
    walk.shot("survey-form")
    page.locator("#survey-submit").click()
    expect(page.locator("#messages")).to_contain_text("匿名提交")
    walk.go("/surveys/")
    expect(page.locator("#to-answer")).to_contain_text("已填写")
    walk.logout()

    # HR reads the aggregates: six answers in 甲县局.
    walk.login("hr")
    walk.go(f"/surveys/{survey.pk}/results/")
    expect(page.locator("body")).to_contain_text("6 人填写")
    expect(page.locator(".survey-question").first).to_contain_text("甲县局")
    expect(page.locator("body")).to_contain_text("希望多组织培训")
    walk.shot("hr-survey-results")

    assert PlanVersion.objects.filter(plan__employee=staff["zhao"]).count() == 2
    assert PlanComment.objects.get().capacity == "导师"
    assert Answer.objects.filter(text="希望多组织培训").count() == 1
    assert walk.requests_outside == []
