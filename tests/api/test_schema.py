"""The OpenAPI 3 schema describes every endpoint and generates without a warning."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

API_PATHS = [
    "/api/employees/",
    "/api/employees/{id}/",
]


def test_the_schema_is_served_and_lists_the_endpoints(client_for, users):
    from jinjie.org.models import Role

    response = client_for(Role.EMPLOYEE).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in API_PATHS:
        assert path in schema["paths"], path


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0
