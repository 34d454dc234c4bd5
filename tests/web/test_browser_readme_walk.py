"""README's demo walk, replayed in a real browser (Debian's chromium) from a fresh `jinjie demo`.

Each step below is a numbered step of README's 演示 / The demo section, with the same logins, pages,
buttons and dates: the demo is made for 2026-10-09 (`JINJIE_TODAY=2026-10-09 make demo`), so the
last complete quarter is 2026Q3. "Restarting the server on another day" (`JINJIE_TODAY=… make
demo`) is the JINJIE_TODAY setting changed here, which the live server reads on every request;
`jinjie apply-due --date` is the same command. Screenshots: test-artifacts/screenshots/readme-*.

PostgreSQL only, like tests/web/test_browser_walk.py (a live server needs a transactional test).
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinjie.demo.bureau import DEMO_PASSWORD
from jinjie.demo.services import demo_create
from jinjie.evaluations.models import Proposal
from jinjie.org.models import User
from jinjie.rulebooks.services import rulebook_load_defaults

from .test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class DemoWalk(Walk):
    def login(self, username: str, shot: str | None = None):
        self.go("/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(DEMO_PASSWORD)
        if shot:
            self.shot(shot)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page.get_by_role("button", name="退出")).to_be_visible()

    def message(self, text: str):
        expect(self.page.locator("#messages")).to_contain_text(text)


def employee_of(username: str):
    return User.objects.select_related("employee").get(username=username).employee


def test_the_readme_demo_walk_works_as_written(page: Page, live_server, settings, background_worker):
    # 1. JINJIE_TODAY=2026-10-09 make demo: jinjie init (the default rule books), jinjie demo, the server.
    settings.JINJIE_TODAY = "2026-10-09"
    rulebook_load_defaults()
    assert demo_create().period == "2026Q3"  # 600 employees, seed 1: the default `jinjie demo`
    walk = DemoWalk(page, live_server.url, prefix="readme-")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    b, skip = employee_of("yuangong4"), employee_of("yuangong5")
    assert (b.employee_no, skip.employee_no) == ("LJ000002", "LJ000010")

    # 2. weiyuanhui: the home page says 2026Q3 尚未测评; run it for the city, then submit all drafts.
    walk.login("weiyuanhui", shot="login")
    expect(page.locator("main")).to_contain_text("2026Q3 尚未测评")
    walk.shot("committee-home-not-evaluated")
    page.get_by_role("link", name=re.compile("2026Q3 的季度测评尚未运行")).click()
    expect(page.locator("#id_period")).to_have_value("2026Q3")
    page.get_by_role("button", name="开始测评").click()
    # A background job (`make demo` runs the worker beside the server): its page shows the result.
    expect(page.locator("#job-result")).to_contain_text("2026Q3 测评完成", timeout=30_000)
    walk.shot("period-evaluated")
    page.get_by_role("link", name="查看本期测评结果").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="全部提交审批").click()
    expect(page.locator("#job-result")).to_contain_text("进入审批", timeout=30_000)
    assert not Proposal.objects.filter(period="2026Q3", state="draft").exists()

    # 3. 待我审批: yuangong4's 晋级 with an opinion and the meeting; then the 跳级 of yuangong5.
    page.get_by_role("link", name="待我审批").first.click()
    expect(page.locator("#queue-table")).to_contain_text(b.name)
    walk.shot("committee-queue")
    page.locator("#queue-table").get_by_role("link", name=b.name).click()
    page.get_by_label("意见").fill("符合晋级条件，同意。")
    page.get_by_label("会议日期").fill("2026-10-09")
    page.get_by_label("会议纪要编号").fill("临烟考评〔2026〕3号")
    page.get_by_label("出席人员").fill("郑晓东、王建华、刘芳")
    walk.shot("committee-decides-with-meeting")
    page.get_by_role("button", name="提交意见").click()
    walk.message(f"已同意：{b.name}")
    page.get_by_role("link", name="待我审批").first.click()
    page.locator("#id_move").select_option("skip_level")
    page.get_by_role("button", name="筛选").click()
    page.locator("#queue-table").get_by_role("link", name=skip.name).click()
    page.get_by_label("意见").fill("表现优异，同意跳级。")
    page.get_by_role("button", name="同意并处理下一条").click()
    walk.message(f"已同意：{skip.name}")
    walk.logout()

    # 4. lingdao approves the 晋级; its 晋级审批表 prints with the committee's meeting.
    walk.login("lingdao")
    page.get_by_role("link", name="待我审批").first.click()
    page.locator("#queue-table").get_by_role("link", name=b.name).click()
    expect(page.locator("#route")).to_contain_text("临烟考评〔2026〕3号")
    pdf = page.request.get(live_server.url + page.locator("#approval-form-link").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.get_by_label("意见").fill("同意。")
    page.get_by_role("button", name="提交意见").click()
    walk.message("下一步：由考评委员会发布公示")
    walk.logout()

    # 5. juzhang approves the 跳级.
    walk.login("juzhang")
    expect(page.locator("main")).to_contain_text(skip.name)
    walk.shot("director-home")
    page.get_by_role("link", name="待我审批").first.click()
    page.locator("#queue-table").get_by_role("link", name=skip.name).click()
    page.get_by_role("button", name="提交意见").click()
    walk.message(f"已同意：{skip.name}")
    walk.logout()

    # 6. weiyuanhui publishes the notice (from tomorrow, 7 days).
    walk.login("weiyuanhui")
    walk.go("/notices/new/")
    expect(page.get_by_label(f"选择 {b.name}")).to_be_checked()
    expect(page.get_by_label(f"选择 {skip.name}")).to_be_checked()
    page.get_by_role("button", name="发布公示").click()
    walk.message("公示期 2026-10-10 至 2026-10-16")
    notice_url = page.url.removeprefix(live_server.url)
    walk.shot("notice")
    walk.logout()

    # 7. The next day (JINJIE_TODAY=2026-10-10 make demo): yuangong1 objects; 我的异议 shows it.
    settings.JINJIE_TODAY = "2026-10-10"
    walk.login("yuangong1")
    page.get_by_role("link", name=re.compile("关于.*同志职级晋升的公示")).first.click()
    assert page.url.endswith(notice_url)
    choice = page.get_by_label("异议对象").locator("option", has_text=b.employee_no).inner_text()
    page.get_by_label("异议对象").select_option(label=choice)
    page.get_by_label("异议内容及理由").fill("该同志七月曾有客户投诉，请核实。")
    page.get_by_role("button", name="提交异议").click()
    walk.message("您的异议已提交")
    page.get_by_role("link", name="我的异议").first.click()
    expect(page.locator("#my-objections")).to_contain_text("待处理")
    walk.logout()

    # 8. jijian reads the objection, its filer, and the proposal it concerns (read-only).
    walk.login("jijian")
    page.get_by_role("link", name="异议处理").first.click()
    expect(page.locator("main")).to_contain_text("该同志七月曾有客户投诉")
    expect(page.locator(".objection").first).to_contain_text(f"提出人：{employee_of('yuangong1').name}")
    page.locator(".objection").first.get_by_role("link", name=b.name).click()
    expect(page.locator("#criteria-table")).to_be_visible()
    expect(page.get_by_role("button", name="提交意见")).to_have_count(0)
    walk.shot("discipline-reads-proposal")
    walk.logout()

    # 9. weiyuanhui dismisses it; yuangong1 reads the ruling.
    walk.login("weiyuanhui")
    page.get_by_role("link", name="异议处理").first.click()
    page.get_by_label("处理结果").select_option("dismiss")
    page.get_by_label("处理理由").fill("经核实，投诉已查明不属实。")
    page.get_by_role("button", name="处理").click()
    walk.message("异议不成立")
    walk.logout()
    walk.login("yuangong1")
    walk.go("/objections/mine/")
    expect(page.locator("#my-objections")).to_contain_text("异议不成立（已驳回）")
    walk.logout()

    # 10. The notice ended on 2026-10-16: jinjie apply-due --date 2026-10-17.
    out = StringIO()
    call_command("apply_due", "--date", "2026-10-17", stdout=out)
    assert "公示期满 2 项，生效 2 项" in out.getvalue(), out.getvalue()

    # 11. JINJIE_TODAY=2026-10-17 make demo: yuangong4's 我的职业发展.
    settings.JINJIE_TODAY = "2026-10-17"
    walk.login("yuangong4")
    expect(page.locator("#current-rank")).to_have_text("中级C")
    expect(page.locator("#current-pay")).to_contain_text("2,800.00")
    expect(page.locator("#next-pay")).to_contain_text("自 2026年11月1日 起：3,200.00 元（中级C）")
    expect(page.locator("#gap")).to_contain_text("需任现职级满一个完整测评期")
    walk.shot("career-after-promotion")
    page.locator("#proposal-items, .list-group").get_by_role("link", name=re.compile("2026Q3 初级A → 中级C")).first.click()
    expect(page.locator("#route")).to_contain_text("公示期满；异议 1 件，已驳回")
    walk.shot("proposal-record")
    page.set_viewport_size({"width": 390, "height": 844})
    walk.go("/me/")
    walk.shot("career-phone")

    # And a wrong address answers in Chinese.
    walk.go("/no-such-page/")
    expect(page.locator("main")).to_contain_text("没有找到")

    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
    assert walk.csp_errors == [], walk.csp_errors
