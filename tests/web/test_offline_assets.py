"""Pages load nothing from outside: every stylesheet, script, image and font is served here."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from jinjie.org.models import Role
from jinjie.reports.registry import REPORTS
from jinjie.rulebooks.models import RuleBook

pytestmark = pytest.mark.django_db

# Any absolute URL in an attribute that makes the browser fetch something.
FETCHING = re.compile(r"""(?:src|href|action|poster|data|srcset)\s*=\s*["']\s*(?:https?:)?//""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I)
IMPORT = re.compile(r"""@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""", re.I)


def _pages(evaluated, staff):
    p = evaluated["A001"]
    return {
        Role.COMMITTEE: ["/", reverse("web:periods"), reverse("web:proposals"), reverse("web:proposal", args=[p.pk]),
                         reverse("web:notices"), reverse("web:notice_new"), reverse("web:objections"),
                         reverse("web:employees"), reverse("web:employee", args=[staff["zhang"].pk]), reverse("web:rulebooks")],
        Role.EMPLOYEE: [reverse("web:career"), reverse("web:proposal", args=[p.pk])],
        Role.LEADER: ["/", reverse("web:proposals"), reverse("web:reports"),
                      *(reverse("web:report", args=[name]) for name in REPORTS)],
        Role.HR: ["/", reverse("web:imports"), reverse("web:reassignments"), reverse("web:rulebook_new", args=["ladder"]),
                  reverse("web:whatif") + f"?book={RuleBook.objects.filter(kind='ladder').first().pk}&period=2026Q3"],
    }


def test_no_page_references_an_outside_asset(client_for, evaluated, staff):
    checked = 0
    for role, urls in _pages(evaluated, staff).items():
        client = client_for(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            assert not FETCHING.search(html), (role, url, FETCHING.search(html).group(0))
            assert not CSS_URL.search(html), (role, url)
            checked += 1
    assert checked >= 18


def test_the_anonymous_pages_reference_no_outside_asset(client, db):
    """The login page and the error pages, as someone not logged in sees them."""
    for url, status in ((reverse("web:login"), 200), ("/no-such-page/", 404)):
        response = client.get(url)
        assert response.status_code == status, url
        html = response.content.decode()
        assert "<link" in html and "/static/" in html, url  # the page really has its assets…
        assert not FETCHING.search(html), (url, FETCHING.search(html) and FETCHING.search(html).group(0))
        assert not CSS_URL.search(html), url  # …and all of them are served here


def test_the_vendor_assets_are_installed_and_refer_to_nothing_outside():
    """make setup copies them from the pinned npm packages; a missing one breaks every page."""
    for path in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "web/jinjie.css",
        "web/jinjie.js",
        "vendor/echarts/echarts.min.js",
        "web/charts.js",
        "web/trend_chart.js",
    ):
        found = finders.find(path)
        assert found, f"缺少静态文件 {path}：请运行 make setup"
        if path.endswith(".css"):
            css = open(found, encoding="utf-8").read()
            assert not CSS_URL.search(css), path
            assert not IMPORT.search(css), path
