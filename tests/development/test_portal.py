"""职业发展中心 (SPEC 5): HR's Markdown pages are rendered and sanitised (never raw HTML from users),
carry their effective date and "更新于 … 由 …", keep every version readable, and are read by the
staff of their unit and below; the generated standards page renders the books in force."""

from datetime import date

import pytest

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.development.markdown import render_markdown
from jinjie.development.models import PortalRevision
from jinjie.development.services import portal_page_save

pytestmark = pytest.mark.django_db

HOSTILE = """# 晋升制度

<script>alert(1)</script>
<img src=x onerror=alert(2)>
[点我](javascript:alert(3))
<a href="https://example.org" onclick="alert(4)">链接</a>
<iframe src="https://evil.example"></iframe>

| 职级 | 条件 |
|---|---|
| 中级C | 36 个月 |
"""


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown(HOSTILE)
    assert "<h1>晋升制度</h1>" in html and "<table>" in html and "<td>中级C</td>" in html
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<img"):
        assert bad not in html
    assert 'href="https://example.org"' in html


def test_a_page_keeps_every_version_with_date_and_author(users, tree, web):
    first = portal_page_save(actor=users["hr"], slug="promotion", title="晋升制度", body="第一版", effective_from="2026-01-01",
                             org_unit=tree["city_a"])
    portal_page_save(actor=users["hr"], page=first.page, title="晋升制度（修订）", body=HOSTILE, effective_from="2026-07-01")
    assert list(PortalRevision.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    page = web("zhang").get("/portal/promotion/").content.decode()
    assert "晋升制度（修订）" in page and "2026-07-01 起施行" in page and "更新于" in page and "由 人事" in page
    old = web("zhang").get("/portal/promotion/?v=1").content.decode()
    assert "第一版" in old and "历史版本" in old
    assert web("zhang").get("/portal/promotion/?v=9").status_code == 404


def test_the_page_body_is_the_sanitised_html(users, tree, web):
    portal_page_save(actor=users["hr"], slug="p", title="T", body=HOSTILE, effective_from="2026-01-01", org_unit=tree["city_a"])
    body = web("zhang").get("/portal/p/").content.decode()
    assert "<script>alert(1)</script>" not in body and "onerror" not in body and "javascript:alert" not in body


def test_pages_are_read_in_their_unit_and_below_only(users, tree, web):
    portal_page_save(actor=users["hr"], slug="a-only", title="甲市局培训方案", body="x", effective_from="2026-01-01",
                     org_unit=tree["city_a"])
    assert "甲市局培训方案" in web("zhang").get("/portal/").content.decode()
    assert "甲市局培训方案" not in web("wang").get("/portal/").content.decode()
    assert web("wang").get("/portal/a-only/").status_code == 404


def test_only_hr_writes_pages_of_their_subtree(users, tree):
    with pytest.raises(NotPermitted):
        portal_page_save(actor=users["leader"], slug="x", title="T", body="b", effective_from="2026-01-01", org_unit=tree["city_a"])
    with pytest.raises(NotPermitted):
        portal_page_save(actor=users["hr"], slug="x", title="T", body="b", effective_from="2026-01-01", org_unit=tree["city_b"])
    with pytest.raises(DomainError, match="页面地址只能用"):
        portal_page_save(actor=users["hr"], slug="晋升", title="T", body="b", effective_from="2026-01-01", org_unit=tree["city_a"])
    assert not PortalRevision.objects.exists()


def test_the_standards_page_renders_the_books_and_schemes_in_force(users, web):
    body = web("zhang").get("/portal/standards/").content.decode()
    assert "中级C" in body and "卷烟营销指标" in body and "市场巡查" in body


def test_the_portal_lists_the_open_application_rounds(users, tree, web, today):
    from jinjie.applications.models import ApplicationRound

    ApplicationRound.objects.create(title="2026 年第二批专卖管理员等级申报", org_unit=tree["city_a"], levels=["中级专卖管理员"],
                                    opens=date(2026, 10, 1), closes=date(2026, 10, 31), check_date=date(2026, 10, 31))
    ApplicationRound.objects.create(title="已截止的批次", org_unit=tree["city_a"], levels=["中级专卖管理员"],
                                    opens=date(2026, 9, 1), closes=date(2026, 9, 30), check_date=date(2026, 9, 30))
    body = web("zhang").get("/portal/").content.decode()
    assert "2026 年第二批专卖管理员等级申报" in body and "2026-10-01 至 2026-10-31" in body
    assert "已截止的批次" not in body
    assert "2026 年第二批" not in web("wang").get("/portal/").content.decode()
