"""One level_up from evaluation to effect, in a real browser (Debian's chromium, headless).

The committee runs 2026Q3 and approves 张三's 初级A → 中级C; the leader approves; the committee
publishes the notice; a colleague files an objection; the committee dismisses it; the notice
ends (the workflow's clock moved on); apply_due; 张三 sees 中级C and the new pay. Every page is
screenshotted to test-artifacts/screenshots/.

live_server needs a transactional database, which pytest-django empties after the test: with
TRUNCATE on PostgreSQL, but with DELETE on SQLite, which the append-only triggers refuse. So this
test runs on PostgreSQL only.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jinjie.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "jinjie-test-pw"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"浏览器测试需要 {CHROMIUM}（Debian 的 chromium 包）：请以 root 运行 make setup 或 apt-get install -y chromium")
    # Playwright's sync API keeps an event loop running in this thread for the whole session;
    # the tests' own ORM calls (set-up, apply_due, the database flush after each test) are plain
    # synchronous code all the same, so Django's async-safety guard is told so (Django's
    # documented escape hatch for exactly this case).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}


class Walk:
    def __init__(self, page: Page, base: str, prefix: str = ""):
        self.page, self.base, self.n, self.prefix = page, base, 0, prefix
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.requests_outside: list[str] = []
        self.csp_errors: list[str] = []
        page.on("request", self._watch)
        page.on("console", self._console)

    def _watch(self, request):
        if not request.url.startswith(self.base) and not request.url.startswith(("data:", "blob:")):
            self.requests_outside.append(request.url)

    def _console(self, message):
        # Chromium reports what the Content-Security-Policy blocked (an inline script, style or
        # handler, an eval, a resource from elsewhere) as a console error.
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            self.csp_errors.append(f"{self.page.url}: {message.text}")

    def shot(self, name: str):
        self.n += 1
        path = SHOTS / f"{self.prefix}{self.n:02d}-{name}.png"
        # A loaded 2-core machine can take long to paint a full page; a screenshot is evidence, not a timing.
        self.page.screenshot(path=str(path), full_page=True, timeout=120_000)
        return path

    def go(self, path: str):
        self.page.goto(self.base + path)

    def login(self, username: str, shot: str | None = None):
        self.go("/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        if shot:
            self.shot(shot)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page.get_by_role("button", name="退出")).to_be_visible()

    def logout(self):
        self.page.get_by_role("button", name="退出").first.click()
        expect(self.page).to_have_url(re.compile(r"/login/"))


def test_a_level_up_from_evaluation_to_effect_in_the_browser(
    page: Page, live_server, users, staff, rulebooks, today, background_worker
):
    from jinjie.approvals.services import apply_due
    from jinjie.evaluations.models import Proposal

    zhang = staff["zhang"]
    walk = Walk(page, live_server.url, prefix="walk-")
    today(date(2026, 10, 9))

    # The committee runs the period.
    walk.login("committee", shot="login")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    walk.shot("committee-home")
    page.get_by_role("link", name="季度测评").first.click()
    page.locator("#id_period").fill("2026Q3")
    page.get_by_label("测评范围(单位)").select_option(label="　甲市局")
    page.get_by_role("button", name="开始测评").click()
    # The worker runs it; the job's page polls until the counts are there.
    expect(page.locator("#job-result")).to_contain_text("2026Q3 测评完成", timeout=20_000)
    walk.shot("evaluation-job")
    page.get_by_role("link", name="查看本期测评结果").click()
    walk.shot("period-counts")
    # Submitting them all asks first (data-confirm, jinjie.js): dismissed, nothing is submitted.
    drafts = Proposal.objects.filter(state="draft").count()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="全部提交审批").click()
    page.wait_for_timeout(300)
    assert asked and "全部提交审批" in asked[0], asked
    assert drafts > 0 and Proposal.objects.filter(state="draft").count() == drafts

    # … opens the level-ups, submits 张三's, and approves its committee step.
    page.get_by_role("link", name=re.compile("晋级")).first.click()
    expect(page.locator("#proposal-table")).to_contain_text("张三")
    walk.shot("proposals-level-up")
    page.get_by_label("选择 张三").check()
    page.get_by_label("办理").select_option("submit")
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator("#messages")).to_contain_text("已提交审批 1 条")
    proposal = Proposal.objects.get(employee=zhang, period="2026Q3")
    walk.go(f"/proposals/{proposal.pk}/")
    expect(page.locator("#criteria-table")).to_contain_text("本岗位任职月数")
    page.get_by_label("意见").fill("符合晋级条件，同意。")
    walk.shot("proposal-committee-decides")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator("#messages")).to_contain_text("已同意")
    walk.logout()

    # The leader approves.
    walk.login("leader")
    expect(page.get_by_text("待领导审批")).to_be_visible()
    walk.shot("leader-home")
    page.get_by_role("link", name=re.compile("张三")).first.click()
    page.get_by_label("意见").fill("同意。")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator("#route")).to_contain_text("公示")
    walk.shot("proposal-after-leader")
    walk.logout()

    # The committee publishes the notice.
    walk.login("committee")
    walk.go("/notices/new/")
    expect(page.get_by_label("选择 张三")).to_be_checked()
    walk.shot("notice-publish")
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator("#notice-doc")).to_contain_text("张三")
    notice_url = page.url
    walk.shot("notice")
    walk.logout()

    # During the notice, a colleague of the unit objects.
    today(date(2026, 10, 12))
    walk.login("zhao")
    walk.go(notice_url.removeprefix(live_server.url))
    page.get_by_label("异议内容及理由").fill("该同志七月曾有客户投诉，请核实。")
    walk.shot("objection-form")
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("#messages")).to_contain_text("您的异议已提交")
    walk.logout()

    # The committee looks into it and dismisses it.
    walk.login("committee")
    walk.go("/objections/")
    expect(page.locator(".objection")).to_contain_text("zhao")
    page.get_by_label("处理结果").select_option("dismiss")
    page.get_by_label("处理理由").fill("经核实，投诉已查明不属实。")
    walk.shot("objection-handling")
    page.get_by_role("button", name="处理").click()
    expect(page.locator("#messages")).to_contain_text("异议不成立")
    walk.logout()

    # The discipline officer reads the objection and its handling.
    walk.login("discipline")
    walk.go("/objections/?status=resolved")
    expect(page.locator(".objection")).to_contain_text("异议不成立")
    walk.shot("discipline-reads-objections")
    # The offline API docs (Swagger UI) run under their own, scoped policy.
    walk.go("/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_contain_text("晋阶 Jinjie API")
    walk.shot("api-docs")
    walk.go("/")
    walk.logout()

    # The notice ends; the daily apply_due makes it take effect.
    end = Proposal.objects.get(pk=proposal.pk).notice_item.notice.end_date
    result = apply_due(today=date(2026, 11, 2))
    assert result.applied_ids == [proposal.pk], result.summary()
    assert end < date(2026, 11, 2)
    today(date(2026, 11, 2))

    # 张三 sees the new rank and pay (中级C from November: 2000 × 1.6).
    walk.login("zhang")
    expect(page.get_by_role("heading", name="我的职业发展")).to_be_visible()
    expect(page.locator("#current-rank")).to_have_text("中级C")
    expect(page.locator("#current-pay")).to_contain_text("3,200.00")
    expect(page.locator("#rank-history")).to_contain_text("初级A")
    walk.shot("career-after-promotion")

    # A phone-sized screen still shows the page.
    page.set_viewport_size({"width": 390, "height": 844})
    walk.shot("career-phone")

    assert walk.requests_outside == [], walk.requests_outside
    assert walk.csp_errors == [], walk.csp_errors
    assert users[Role.COMMITTEE].username == "committee"


def test_every_other_page_renders_in_the_browser_without_script_errors(page: Page, live_server, users, staff, rulebooks, today, tmp_path, settings):
    """Screenshots of the pages the walk does not pass through, each checked for script errors."""
    from jinjie.evaluations.services import evaluation_run

    settings.VAR_DIR = tmp_path
    evaluation_run(period="2026Q3", org_unit=None)
    walk = Walk(page, live_server.url, prefix="pages-")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    walk.login("hr")
    for path, name, marker in (
        ("/", "hr-home", "调整岗位"),
        ("/employees/", "employees", "张三"),
        (f"/employees/{staff['zhang'].pk}/", "employee", "110105********002X"),
        ("/reassignments/", "reassignments", "调整岗位"),
        ("/rulebooks/", "rulebooks", "任职条件"),
        ("/rulebooks/new/ladder/?mode=json", "rulebook-draft-json", "保存草稿"),
    ):
        walk.go(path)
        expect(page.locator("main")).to_contain_text(marker)
        walk.shot(name)
    # The JSON editor's check button (htmx) reports problems in place.
    page.locator("#id_document").fill('{"kind": "ladder"}')
    page.get_by_role("button", name="校验").click()
    expect(page.locator("#check-errors")).to_be_visible()
    walk.shot("rulebook-check")

    bad = tmp_path / "scores.csv"
    bad.write_text("工号,月份,考核得分\nA001,2026-13,91\nZZZ,2026-10,abc\n", encoding="utf-8-sig")
    walk.go("/imports/")
    page.get_by_label("数据类别").select_option("scores")
    page.get_by_label("文件(CSV UTF-8 或 XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="校验并预览").click()
    expect(page.locator("#import-errors")).to_contain_text("2026-13")
    walk.shot("import-errors")
    good = tmp_path / "scores-ok.csv"
    good.write_text("工号,月份,考核得分\nA001,2026-10,91\n", encoding="utf-8-sig")
    page.get_by_label("数据类别").select_option("scores")
    page.get_by_label("文件(CSV UTF-8 或 XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="校验并预览").click()
    expect(page.locator("#import-preview")).to_contain_text("将新增")
    walk.shot("import-preview")
    walk.logout()

    walk.login("committee")
    walk.go("/proposals/?period=2026Q3")
    walk.shot("proposals-all")
    walk.go("/notices/")
    walk.shot("notices")
    walk.go("/objections/")
    walk.shot("objections-empty")
    walk.go("/no-such-page/")
    expect(page.locator("main")).to_contain_text("没有找到")
    walk.shot("not-found")
    walk.go("/imports/")
    expect(page.locator("main")).to_contain_text("无权访问")
    walk.shot("forbidden")
    walk.logout()

    # The Django admin runs under the same strict Content-Security-Policy.
    from jinjie.org.models import User

    User.objects.create_superuser("root", password=PASSWORD, role=Role.HR, org_unit=users[Role.HR].org_unit)
    walk.go("/admin/login/")
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    for path, marker in (
        ("/admin/", "员工档案"),  # the apps by their Chinese names (core.admin_site, apps.py)
        ("/admin/people/employee/", "张三"),
        (f"/admin/people/employee/{staff['zhang'].pk}/change/", "张三"),
        ("/admin/people/rankchange/", "职级变动"),
        ("/admin/org/orgunit/add/", "上级单位"),
    ):
        walk.go(path)
        expect(page.locator("#content")).to_contain_text(marker)
    walk.shot("admin-orgunit-add")

    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
    assert walk.csp_errors == [], walk.csp_errors


def test_hr_drafts_a_standard_in_the_forms_and_publishes_it_in_the_browser(page: Page, live_server, users, rulebooks):
    """The forms editor in a real browser: the effective date comes pre-filled in a value the date
    input accepts and is submitted; a value that is no number is refused beside its input; the
    draft's page shows the differences before the publish button; publishing asks first."""
    from django.utils import timezone

    from jinjie.rulebooks.models import BookStatus, RuleBook

    walk = Walk(page, live_server.url, prefix="rulebook-")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    walk.login("hr")
    walk.go("/rulebooks/")
    page.get_by_role("link", name="起草新版本").first.click()
    expect(page.locator("#entry-editor")).to_be_visible()
    date_input = page.locator("#id_effective_from")
    # Chromium shows an empty field for a value it rejects: a pre-filled date proves its format.
    assert date_input.input_value() == timezone.localdate().isoformat()
    walk.shot("forms")

    page.get_by_label("中级C 任职条件 平均绩效 ≥").fill("八十七")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#entry-editor")).to_contain_text("请填写数字")
    assert not RuleBook.objects.filter(status=BookStatus.DRAFT).exists()
    walk.shot("refused-beside-its-input")

    page.get_by_label("中级C 任职条件 平均绩效 ≥").fill("87")
    page.get_by_label("薪酬 岗位工资基数(元/月)").fill("2100")
    page.get_by_label("第 1 行 第 1 环节").select_option("committee")
    date_input.fill("2027-01-01")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#rulebook-diff")).to_contain_text("共 3 处不同")
    expect(page.locator("#rulebook-diff")).to_contain_text("中级C · 任职条件 · 平均绩效")
    draft = RuleBook.objects.get(status=BookStatus.DRAFT)
    assert draft.effective_from.isoformat() == "2027-01-01"
    assert draft.document["pay"]["base"] == "2100"
    walk.shot("draft-compared")

    # Back to the forms: the saved date is shown again as the input wants it.
    page.get_by_role("link", name="修改草稿").click()
    assert page.locator("#id_effective_from").input_value() == "2027-01-01"
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#messages")).to_contain_text("已发布")
    draft.refresh_from_db()
    assert draft.status == BookStatus.PUBLISHED
    walk.shot("published")
    # The monopoly book's forms: one condition per row, a group as JSON with its sentence.
    walk.go("/rulebooks/new/monopoly/")
    expect(page.locator("main")).to_contain_text("学历、专卖管理工作经历与初级资格年限")
    assert page.get_by_label("初级专卖管理员 第 1 条 数值").input_value() == "12"
    walk.shot("monopoly-forms")
    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
    assert walk.csp_errors == [], walk.csp_errors
