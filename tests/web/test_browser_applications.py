"""A 专卖管理员 level from the round to the level held, in a real browser (SPEC 3.1).

HR opens a round; yuangong3 applies on 我的职业发展; HR closes it (the check is frozen);
专卖监督管理科 marks the manual items; the committee approves from the round's page and publishes
the notice; a colleague objects, the committee dismisses it; `jinjie apply-due` after the notice;
yuangong3 sees 中级专卖管理员 on 我的职业发展. Screenshots under test-artifacts/screenshots/.

PostgreSQL only, like the other browser walk (live_server needs a transactional database, which
SQLite's append-only triggers would refuse to empty).
"""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

from .conftest import make_employee, make_user
from .test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def applicant(tree, users):
    """孙专管: 初级专卖管理员 since 2024-06, meeting every automatic condition of 中级 in October 2026."""
    e = make_employee(tree["county_a"], "M001", "孙专管", track="专卖管理员", current_rank="初级专卖管理员",
                      rank_since=date(2024, 6, 1), role_start_date=date(2022, 1, 1), education="大专", pay_grade=9,
                      law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=e, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", score=88, passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating="良好")
    make_user("yuangong3", Role.EMPLOYEE, tree["county_a"], employee=e)
    make_user("zhuanmai", Role.TRACK_REVIEWER, tree["city_a"], track="市场管理员", first_name="专卖科")
    return e


def test_a_level_from_the_round_to_the_level_held_in_the_browser(page: Page, live_server, users, applicant, rulebooks, today):
    walk = Walk(page, live_server.url, prefix="apply-")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())  # "确定截止申报并进行资格审查？"
    today(date(2026, 10, 9))

    # HR opens the round.
    walk.login("hr")
    page.get_by_role("link", name="专卖管理员申报").first.click()
    page.get_by_role("link", name="发起申报批次").click()
    page.get_by_label("批次名称").fill("2026年第四季度专卖管理员等级申报")
    page.get_by_label("范围(单位)").select_option(label="　甲市局")
    page.get_by_label("中级专卖管理员").check()
    page.get_by_label("申报开始").fill("2026-10-09")
    page.get_by_label("申报截止(含)").fill("2026-10-20")
    walk.shot("hr-opens-round")
    page.get_by_role("button", name="发起").click()
    expect(page.locator("#messages")).to_contain_text("已发起申报批次")
    expect(page.locator("#round-status")).to_have_text("申报中")
    round_url = page.url.removeprefix(live_server.url)
    walk.shot("round-open")
    walk.logout()

    # yuangong3 sees the round with the conditions at its check date and applies.
    walk.login("yuangong3")
    expect(page.locator(".application-round")).to_contain_text("按资格审查基准日 2026-10-20 核对")
    expect(page.locator("#checks-table").first).to_contain_text("上年度专卖双能考核")
    walk.shot("career-round-open")
    page.locator("#apply-button").click()
    expect(page.locator("#messages")).to_contain_text("已申报 中级专卖管理员（孙专管）")
    walk.shot("career-applied")
    walk.logout()

    # HR closes the round early: the check is made again at the check date and frozen.
    walk.login("hr")
    walk.go(round_url)
    expect(page.locator("#application-table")).to_contain_text("孙专管")
    page.get_by_role("button", name="截止申报并审查").click()
    expect(page.locator("#messages")).to_contain_text("资格审查通过 1 人，未通过 0 人")
    walk.shot("round-closed")
    walk.logout()

    # 专卖监督管理科 marks each manual item.
    walk.login("zhuanmai")
    expect(page.get_by_text("待审核的专卖管理员等级申报")).to_be_visible()
    walk.shot("reviewer-home")
    page.get_by_role("link", name=re.compile("孙专管")).first.click()
    expect(page.locator("#checks-table")).to_contain_text("未担任管理岗位")
    items = page.locator("#review-form fieldset")
    for i in range(items.count()):
        items.nth(i).get_by_label("符合", exact=True).check()
    page.get_by_label("审核意见").fill("日常专卖管理工作熟练，客户服务良好。")
    walk.shot("reviewer-marks")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#messages")).to_contain_text("审核通过")
    expect(page.locator("#application-status")).to_contain_text("审核通过（考评委员会）")
    walk.logout()

    # The committee approves from the round's page, then publishes the notice.
    walk.login("committee")
    walk.go(round_url)
    page.get_by_label("选择 孙专管").check()
    page.locator("#batch-comment").fill("符合申报条件，同意。")
    walk.shot("committee-batch")
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator("#messages")).to_contain_text("已同意 1 条建议")
    expect(page.locator("#application-table")).to_contain_text("审批中（公示）")
    walk.go("/notices/new/")
    expect(page.get_by_label("选择 孙专管")).to_be_checked()
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator("#notice-doc")).to_contain_text("拟取得等级")
    expect(page.locator("#notice-items")).to_contain_text("中级专卖管理员")
    notice_url = page.url.removeprefix(live_server.url)
    walk.shot("notice")
    walk.logout()

    # A colleague objects during the notice; the committee dismisses it.
    today(date(2026, 10, 12))
    walk.login("zhao")
    walk.go(notice_url)
    page.get_by_label("异议内容及理由").fill("该同志今年执法案卷数量较少，请核实。")
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("#messages")).to_contain_text("您的异议已提交")
    walk.logout()
    walk.login("committee")
    walk.go("/objections/")
    page.get_by_label("处理结果").select_option("dismiss")
    page.get_by_label("处理理由").fill("经核实，案卷数量符合岗位要求。")
    page.get_by_role("button", name="处理").click()
    expect(page.locator("#messages")).to_contain_text("异议不成立")
    walk.logout()

    # The notice ends (2026-10-10 … 10-16); the daily `jinjie apply-due` grants the level.
    out = StringIO()
    call_command("apply_due", "--date", "2026-10-17", stdout=out)
    assert "生效 1 项" in out.getvalue(), out.getvalue()
    today(date(2026, 10, 17))

    walk.login("yuangong3")
    expect(page.locator("#current-rank")).to_have_text("中级专卖管理员")
    expect(page.locator("#held-levels")).to_contain_text("中级专卖管理员（2026-10-17 取得）")
    expect(page.locator("#my-applications")).to_contain_text("已取得")
    walk.shot("career-level-granted")
    page.get_by_role("link", name=re.compile("中级专卖管理员")).first.click()
    expect(page.locator("#application-status")).to_contain_text("已取得")
    walk.shot("application-granted")

    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
