"""The OpenAPI 3 schema describes every endpoint and generates without a warning."""

import re

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
    "/api/reports/",
    "/api/reports/{name}/",
    "/api/reports/whatif/",
    "/api/plans/{id}/",
    "/api/plans/{id}/gap-actions/",
    "/api/plans/{id}/comments/",
    "/api/talks/",
    "/api/talks/{id}/",
    "/api/talks/{id}/acknowledge/",
    "/api/mentorships/",
    "/api/mentorships/{id}/",
    "/api/mentorships/{id}/mentee/",
    "/api/mentorships/{id}/meetings/",
    "/api/mentorships/{id}/ratings/",
    "/api/surveys/",
    "/api/surveys/{id}/state/",
    "/api/surveys/{id}/answers/",
    "/api/surveys/{id}/results/",
    "/api/schemes/",
    "/api/schemes/{id}/publish/",
    "/api/favour-lists/",
    "/api/favour-lists/{id}/",
    "/api/favour-lists/{id}/freeze/",
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
    # What a reader of the API documentation sees never points at the project's own specification.
    assert "SPEC" not in response.content.decode()


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
    # Every address the page loads is on this server. (Not a search for "cdn" anywhere: the page
    # carries a random token, which now and then contains those letters.)
    assert "https://" not in html and "http://" not in html
    loaded = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html) + re.findall(r"""url:\s*["']([^"']+)""", html)
    assert loaded, html
    assert all(address.startswith("/") and not address.startswith("//") for address in loaded), loaded
    bundle = anon.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert b"".join(bundle.streaming_content)[:100]


def test_the_docs_assets_serve_nothing_else(anon):
    assert anon.get("/api/docs/assets/swagger-ui-bundle.js.map").status_code == 404
    assert anon.get("/api/docs/assets/..%2F..%2F__init__.py").status_code == 404


def test_the_schema_is_not_served_to_anonymous_visitors(client):
    assert client.get("/api/schema/").status_code in (401, 403)


# --- the schema says what the API does (refusals, blanks, nulls) ---------------------------------


@pytest.fixture
def served(client_for, users):
    response = client_for(Role.HR).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_refusals_with_the_error_body(served):
    operations = [(path, method, op) for path, ops in served["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 23
    for path, method, op in operations:
        responses = op["responses"]
        if path == "/api/token/":
            continue
        for code in ("401", "403"):
            assert code in responses, (path, method, code)
            assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert has_chinese(responses[code]["description"])
        if method == "post":
            assert {"400", "404"} <= set(responses), (path, method)
    error = served["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "errors"}


def test_a_list_without_input_cannot_be_a_400_and_a_page_past_the_end_is_a_404(served):
    notices = served["paths"]["/api/notices/"]["get"]["responses"]
    assert "400" not in notices and "404" in notices
    assert set(served["paths"]["/api/reassignment-cases/"]["get"]["responses"]) == {"200", "401", "403"}


def test_the_batches_document_the_refused_items(served):
    schemas = served["components"]["schemas"]
    for path, method in [
        ("/api/proposals/decide-batch/", "post"),
        ("/api/proposals/submit/", "post"),
        ("/api/proposals/{id}/submit/", "post"),
        ("/api/notices/", "post"),
    ]:
        body = served["paths"][path][method]["responses"]["400"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/ErrorOrBatchRefusal"}, path
    assert schemas["BatchRefusal"]["required"] == ["detail", "errors"]
    assert schemas["RefusedItem"]["required"] == ["id", "reason"]
    imports = served["paths"]["/api/imports/{kind}/"]["post"]["responses"]["400"]
    assert imports["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOrImportReport"}
    assert set(schemas["ImportReport"]["required"]) == {"detail", "error_count", "truncated", "errors"}


def test_the_token_endpoint_needs_no_login_and_documents_its_lock(served):
    token = served["paths"]["/api/token/"]["post"]
    assert "security" not in token
    assert set(token["responses"]) == {"200", "400", "415", "429", "503"}  # 503: the directory is down
    locked = token["responses"]["429"]
    assert locked["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert served["components"]["schemas"]["Token"]["required"] == ["token"]


def test_choices_the_record_may_leave_blank_admit_the_blank(served):
    employee = served["components"]["schemas"]["Employee"]["properties"]
    for name in ("education", "vocational_level", "gender"):
        assert {"$ref": "#/components/schemas/BlankEnum"} in employee[name]["oneOf"], name
    assert served["components"]["schemas"]["BlankEnum"]["enum"] == [""]
    assert served["components"]["schemas"]["ProposalDetail"]["properties"]["rulebook_version"]["nullable"]
    assert served["components"]["schemas"]["EvaluationRun"]["properties"]["org_unit"]["nullable"]


def test_the_queues_are_paginated_as_declared(served, client_for):
    for path, role in (("/api/proposals/queue/", Role.COMMITTEE), ("/api/notices/candidates/", Role.COMMITTEE)):
        declared = served["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert declared == {"$ref": "#/components/schemas/PaginatedProposalList"}
        body = client_for(role).get(path).json()
        assert set(body) == {"count", "next", "previous", "results"}, path
