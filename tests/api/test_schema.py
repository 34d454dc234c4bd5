"""The OpenAPI 3 schema describes every endpoint and generates without a warning."""

import pytest
import yaml
from django.core.management import call_command

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db

API_PATHS = [
    "/api/token/",
    "/api/me/",
    "/api/employees/",
    "/api/employees/{id}/",
    "/api/evaluations/",
    "/api/proposals/",
    "/api/proposals/{id}/",
    "/api/proposals/{id}/decide/",
    "/api/proposals/{id}/submit/",
    "/api/proposals/decide-batch/",
    "/api/proposals/submit/",
    "/api/notices/",
    "/api/notices/{id}/",
    "/api/notices/candidates/",
    "/api/objections/",
    "/api/objections/{id}/",
    "/api/objections/{id}/resolve/",
    "/api/proposals/queue/",
    "/api/immediate-demotions/",
    "/api/reassignment-cases/",
    "/api/imports/{kind}/",
    "/api/selections/",
    "/api/selections/{id}/",
    "/api/selections/{id}/applications/",
    "/api/selections/{id}/sheet/",
    "/api/selections/{id}/ballots/",
    "/api/selections/{id}/complete/",
    "/api/selections/{id}/ranking/",
    "/api/selections/{id}/decide/",
    "/api/selections/{id}/notice/",
]


def test_the_schema_is_served_and_lists_the_endpoints(client_for, users):
    response = client_for(Role.EMPLOYEE).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in API_PATHS:
        assert path in schema["paths"], path
    # Token and session authentication are both declared, so generated clients know how to log in.
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    # Labels are Chinese, like everything a user reads.
    assert schema["paths"]["/api/me/"]["get"]["summary"] == "本人：职级、薪酬与晋升差距"
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            assert has_chinese(op.get("summary", "")), (path, method)
            assert not op.get("description") or has_chinese(op["description"]), (path, method, op["description"])


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0


def test_the_docs_page_uses_only_local_assets(anon, client_for, users):
    assert anon.get("/api/docs/").status_code in (401, 403)
    page = client_for(Role.EMPLOYEE).get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "/api/schema/" in html
    assert "cdn" not in html.lower() and "https://" not in html
    bundle = anon.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert b"".join(bundle.streaming_content)[:100]


def test_the_docs_assets_serve_nothing_else(anon):
    assert anon.get("/api/docs/assets/swagger-ui-bundle.js.map").status_code == 404
    assert anon.get("/api/docs/assets/..%2F..%2F__init__.py").status_code == 404


def test_the_schema_is_not_served_to_anonymous_visitors(client):
    assert client.get("/api/schema/").status_code in (401, 403)
