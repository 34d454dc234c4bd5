"""Every response carries a strict Content-Security-Policy (the pages load only their own files and
run no inline script or style), a Permissions-Policy that switches off what the application never
uses, Referrer-Policy same-origin and nosniff — pages, the login page, the API, error pages and
static files alike. Only the offline Swagger UI at /api/docs/ gets the inline script and styles it
cannot do without."""

import re
from pathlib import Path

import pytest
from bureau import make_tree, make_user
from django.test import Client, override_settings
from rest_framework.test import APIClient

from jinjie.org.models import Role
from jinjie.web.views import home

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "jinjie" / "templates"


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def assert_strict(response):
    csp = directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["form-action"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert_other_headers(response)


def assert_other_headers(response):
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def hr():
    return make_user("hr", Role.HR, make_tree()["city_a"])


def logged_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_login_page(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert_strict(response)


def test_a_page_of_the_application(hr):
    response = logged_in(hr).get("/")
    assert response.status_code == 200
    assert_strict(response)


def test_the_api_and_its_refusals(hr):
    client = APIClient()
    assert_strict(client.get("/api/employees/"))  # 403, not logged in
    client.force_authenticate(hr)
    response = client.get("/api/employees/")
    assert response.status_code == 200
    assert_strict(response)
    assert_strict(client.get("/api/employees/999999/"))


@pytest.mark.parametrize("path", ["/no-such-page/", "/static/web/jinjie.css", "/static/web/no-such-file.js"])
def test_not_found_pages_and_static_files(hr, path):
    assert_strict(logged_in(hr).get(path))


def test_the_403_and_500_pages(hr, monkeypatch):
    employee = make_user("yuangong", Role.EMPLOYEE, hr.org_unit)
    refused = logged_in(employee).get("/periods/")
    assert refused.status_code == 403
    assert_strict(refused)

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setitem(home.TASKS, Role.HR, broken)
    failed = logged_in(hr, raise_request_exception=False).get("/")
    assert failed.status_code == 500
    assert_strict(failed)


def test_a_csrf_refusal(hr):
    response = logged_in(hr, enforce_csrf_checks=True).post("/logout/")
    assert response.status_code == 403
    assert_strict(response)


def test_the_swagger_ui_alone_may_run_its_inline_script_and_styles(hr):
    response = logged_in(hr).get("/api/docs/")
    assert response.status_code == 200
    csp = directives(response)
    assert csp["script-src"] == "'self' 'unsafe-inline'"
    assert csp["style-src"] == "'self' 'unsafe-inline'"
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert_other_headers(response)
    # … and nothing else under /api/ is loosened.
    assert_strict(logged_in(hr).get("/api/schema/"))


def test_the_templates_have_no_inline_script_style_or_event_handler():
    # What the strict policy would refuse to run: an inline <script>/<style>, a style="" attribute,
    # an on…="" handler or a javascript: link. Behaviour lives in static/web/jinjie.js, looks in CSS.
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if (
                re.search(r"<script(?![^>]*\bsrc=)[^>]*>", line)
                or re.search(r"<style\b", line)
                or re.search(r"\sstyle\s*=", line)
                or re.search(r"\son[a-z]+\s*=", line)
                or "javascript:" in line
            ):
                offending.append(f"{template.relative_to(TEMPLATES)}:{n}: {line.strip()}")
    assert offending == []


@override_settings(DEBUG=True)
def test_in_development_only_django_s_technical_error_pages_may_style_themselves(hr):
    not_found = logged_in(hr).get("/no-such-page/")
    assert not_found.status_code == 404
    assert directives(not_found)["style-src"] == "'self' 'unsafe-inline'"
    assert_strict(logged_in(hr).get("/"))
