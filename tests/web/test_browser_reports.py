"""Every 统计分析 report opened by a leader in a real browser (Debian's chromium, headless): each chart
is drawn on its canvas by the application's own ECharts and charts.js, with no console error and
no request outside the application; HR's what-if too. Screenshots go to test-artifacts/screenshots/.

The report pages are served here under the strict Content-Security-Policy of production
(script-src 'self', no inline script or style), added to their responses by the browser's request
routing, so the test proves the charts need nothing inline — tooltips included (drawn on the
canvas) — whatever the server sends.

PostgreSQL only, as test_browser_walk.py explains (live_server's flush and the append-only triggers).
"""

import copy
import re
from datetime import date
from pathlib import Path

import pytest
from bureau import make_employee
from playwright.sync_api import Page, expect

from jinjie.people.models import AnnualRating, TrainingRecord
from jinjie.reports.registry import REPORTS

from .test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Fixed filters, so that the charts hold the bureau's 2026Q3 whatever day the test runs.
FILTERS = {
    "distribution": "date=2026-12-01", "tenure": "date=2026-12-01", "monopoly": "date=2026-12-01",
    "flows": "period=2026Q3", "rates": "period=2026Q3&periods=4", "criteria": "period=2026Q3",
    "pay": "period=2026Q3", "scores": "month=2026-09",
}


def _strict_csp(route):
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})


@pytest.fixture
def reporting(staff, users, rulebooks, today, tree):
    """conftest's 甲市局 evaluated for 2026Q3, with a 专卖管理员 who may apply for 初级专卖管理员."""
    from jinjie.evaluations.services import evaluation_run

    admin = make_employee(tree["county_a"], "M001", "钱七", track="专卖管理员", current_rank="见习", pay_grade=8,
                          role_start_date=date(2020, 1, 1), law_cert_valid_until=date(2028, 1, 1))
    TrainingRecord.objects.create(employee=admin, date=date(2026, 5, 1), kind="等级考试", level="初级专卖管理员",
                                  passed=True)
    AnnualRating.objects.create(employee=admin, year=2025, kind="专卖双能", rating="良好")
    evaluation_run(period="2026Q3")
    return staff


def test_a_leader_opens_every_report_and_each_chart_is_drawn(page: Page, live_server, reporting):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/reports/**", _strict_csp)
    walk = Walk(page, live_server.url, prefix="reports-")
    walk.login("leader")
    page.get_by_role("link", name="统计报表").first.click()
    expect(page.locator("#report-list")).to_contain_text("哪一条任职条件")
    walk.shot("index")
    for name in REPORTS:
        walk.go(f"/reports/{name}/?{FILTERS[name]}")
        charts = page.locator("[data-chart]")
        expect(charts.first).to_have_attribute("data-rendered", re.compile(r"\w+"))
        count = charts.count()
        assert count >= 1, name
        for i in range(count):
            chart = charts.nth(i)
            expect(chart).to_have_attribute("data-rendered", re.compile(r"\w+"))
            assert chart.locator("canvas").count() >= 1, (name, i)
            box = chart.bounding_box()
            assert box and box["height"] > 300 and box["width"] > 300, (name, i, box)
        # The same numbers as a table under the chart.
        expect(page.locator(".report-table").first.locator("tbody tr").first).to_be_visible()
        walk.shot(name)
    # A tooltip, drawn on the canvas: still nothing the policy refuses.
    walk.go("/reports/pay/?period=2026Q3")
    chart = page.locator("[data-chart]").first
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    page.wait_for_timeout(300)
    walk.shot("pay-tooltip")
    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside


def test_hr_tries_a_draft_book_in_the_browser(page: Page, live_server, reporting):
    from jinjie.org.models import User
    from jinjie.rulebooks.models import BookKind
    from jinjie.rulebooks.services import rulebook_create_draft
    from jinjie.rules import DEFAULT_LADDER_BOOK

    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["初级A"]["criteria"][3]["value"] = "86"
    # HR's own draft: a draft belongs to a unit, and HR sees the drafts of units it may edit.
    hr = User.objects.get(username="hr")
    draft = rulebook_create_draft(
        kind=BookKind.LADDER, document=doc, effective_from=date(2027, 1, 1), note="平均绩效 86", actor=hr
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/reports/**", _strict_csp)
    walk = Walk(page, live_server.url, prefix="reports-")
    walk.login("hr")
    walk.go(f"/rulebooks/{draft.pk}/")
    page.locator("#whatif-link").click()
    page.locator("#id_period").fill("2026Q3")
    page.get_by_role("button", name="试算").click()
    expect(page.locator("#whatif-changed")).to_have_text("1")
    expect(page.locator("#whatif-differences")).to_contain_text("赵六")
    expect(page.locator("[data-chart]").first).to_have_attribute("data-rendered", "grouped_bar")
    walk.shot("whatif")
    assert errors == [], errors
    assert walk.requests_outside == [], walk.requests_outside
