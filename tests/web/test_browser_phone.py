"""On a phone (390 px wide, Debian's chromium): the proposal list, 待我审批 and 我的职业发展 fit the
screen — no page wider than the phone, no button cut off — the name opens the proposal, and on
我的职业发展 what is pending comes before the rest. Screenshots: test-artifacts/screenshots/phone-*.

PostgreSQL only, like tests/web/test_browser_walk.py (a live server needs a transactional test).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from jinjie.approvals.services import proposal_submit
from jinjie.org.models import Role

from .test_browser_walk import Walk, browser_context_args, browser_type_launch_args  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 768}


def overflow(page: Page) -> dict:
    """How far the page and its visible buttons and links reach beyond the screen (px; 0 is right)."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const page = document.documentElement.scrollWidth - width;
            const cut = [];
            for (const el of document.querySelectorAll("main .btn, main a, main button")) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;  // hidden on a phone
                if (r.left < -0.5 || r.right > width + 0.5) cut.push((el.textContent || "").trim().slice(0, 20));
            }
            return {page: Math.max(0, page), cut: cut};
        }"""
    )


def test_the_lists_and_the_career_page_fit_a_phone(page: Page, live_server, users, evaluated, today):
    proposal_submit(proposals=[evaluated["A001"], evaluated["A002"]], actor=users[Role.COMMITTEE])
    walk = Walk(page, live_server.url, prefix="phone-")
    # The header's 退出 button folds into the 菜单 on a phone: log in and out at desk width.
    walk.login("committee")
    page.set_viewport_size(PHONE)
    walk.go("/proposals/?period=2026Q3")
    expect(page.locator("#proposal-table")).to_contain_text("张三")
    walk.shot("proposal-list")
    assert overflow(page) == {"page": 0, "cut": []}
    page.locator("#proposal-table").get_by_role("link", name="张三").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{evaluated['A001'].pk}/$"))
    expect(page.get_by_role("button", name="同意并处理下一条")).to_be_visible()
    walk.shot("proposal")
    assert overflow(page) == {"page": 0, "cut": []}
    walk.go("/queue/")
    expect(page.locator("#queue-table")).to_contain_text("张三")
    walk.shot("queue")
    assert overflow(page) == {"page": 0, "cut": []}
    page.set_viewport_size(WIDE)
    walk.logout()

    # 赵六's grade-up waits for the track reviewer: it comes first on his phone, before the gap.
    walk.login("zhao")
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", name="我的职业发展")).to_be_visible()
    pending = page.locator("#pending-proposals").bounding_box()
    gap = page.locator("#gap").bounding_box()
    assert pending is not None and gap is not None and pending["y"] < gap["y"]
    expect(page.locator("#pending-proposals")).to_contain_text("当前环节")
    walk.shot("career")
    assert overflow(page) == {"page": 0, "cut": []}
    # On a wide screen the same card sits beside the gap instead.
    page.set_viewport_size(WIDE)
    wide_pending, wide_gap = page.locator("#pending-proposals").bounding_box(), page.locator("#gap").bounding_box()
    assert wide_pending["x"] > wide_gap["x"]

    assert walk.requests_outside == [], walk.requests_outside
    assert walk.csp_errors == [], walk.csp_errors
