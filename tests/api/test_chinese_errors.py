"""Refusals that Django and DRF word in English reach the user in Chinese: a record that is not
there (or not in the caller's data scope), and a session write without its CSRF token. A sweep of
every API URL with bad ids, no login and no CSRF token finds no English-only `detail`."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from jinjie.org.models import Role

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_FOUND = "没有找到该记录，或不在您的数据范围内"


def test_a_missing_record_is_not_found_in_chinese(client_for):
    response = client_for(Role.HR).get("/api/employees/999999/")
    assert response.status_code == 404
    assert response.data["detail"] == NOT_FOUND


def test_a_record_outside_the_scope_gets_the_same_answer(client_for, staff):
    response = client_for(Role.HR).get(f"/api/employees/{staff['wang'].pk}/")  # 乙市局, not hers
    assert response.status_code == 404
    assert response.data["detail"] == NOT_FOUND


@pytest.mark.parametrize(
    ("cookie", "header", "reason"),
    [
        ("a" * 32, None, "缺少 CSRF 令牌"),  # a browser page's script forgot the header
        (None, None, "没有 CSRF Cookie，请先打开系统的任一页面"),
        ("a" * 32, "b" * 32, "CSRF 令牌不正确，可能已过期，请刷新页面"),
        ("a" * 32, "short", "CSRF 令牌格式不正确"),
    ],
    ids=["no-header", "no-cookie", "wrong-token", "malformed-token"],
)
def test_a_session_write_without_a_good_csrf_token_is_refused_in_chinese(users, cookie, header, reason):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="committee", password=PASSWORD)
    if cookie:
        client.cookies["csrftoken"] = cookie
    extra = {"HTTP_X_CSRFTOKEN": header} if header else {}
    response = client.post("/api/evaluations/", {"period": "2026Q3"}, format="json", **extra)
    assert response.status_code == 403
    assert response.data["detail"] == f"CSRF 校验失败：{reason}（请在请求头 X-CSRFToken 中带上令牌）"


# --- the sweep ---------------------------------------------------------------------------------------


def _api_urls() -> list[str]:
    """Every URL under /api/, its parameters filled with ids that do not exist."""
    found: list[str] = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.append(route)

    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    walk(api.url_patterns, "api/")
    urls = []
    for route in found:
        url = re.sub(r"\(\?P<kind>[^)]*\)|<(?:str:)?kind>", "nonsense", route)
        url = re.sub(r"\(\?P<\w+>[^)]*\)|<(?:int:|str:)?\w+>", "999999", url)
        url = url.replace("\\.", ".").replace("\\", "")
        if url.startswith("api/docs/"):
            continue  # an HTML page and its files, not the JSON API
        urls.append("/" + url)
    return sorted({*urls, "/api/schema/"})


API_URLS = _api_urls()
WRITES = ("post", "put", "patch", "delete")


def test_the_sweep_sees_the_whole_api():
    assert {"/api/token/", "/api/employees/999999/", "/api/proposals/999999/decide/", "/api/imports/nonsense/"} <= set(API_URLS)


def _english_only(response) -> str | None:
    data = getattr(response, "data", None)
    if response.status_code < 400 or not isinstance(data, dict) or "detail" not in data:
        return None
    detail = str(data["detail"])
    return None if CHINESE.search(detail) else detail


@pytest.mark.parametrize("url", API_URLS)
def test_no_english_only_detail_anywhere_in_the_api(users, url):
    answers = {}
    anonymous = APIClient()
    hr = APIClient()
    hr.force_authenticate(users[Role.HR])
    session = APIClient(enforce_csrf_checks=True)
    assert session.login(username="committee", password=PASSWORD)
    for method in ("get", *WRITES):
        answers[f"anonymous {method}"] = getattr(anonymous, method)(url, {}, format="json")
        answers[f"hr {method}"] = getattr(hr, method)(url, {}, format="json")
        if method in WRITES:
            answers[f"session without csrf {method}"] = getattr(session, method)(url, {}, format="json")
    assert all(r.status_code < 500 for r in answers.values()), {k: r.status_code for k, r in answers.items()}
    english = {who: text for who, r in answers.items() if (text := _english_only(r))}
    assert english == {}
