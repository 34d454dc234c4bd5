"""The API takes what its OpenAPI schema says and refuses the rest with a Chinese 4xx.

Each case here was found by the schemathesis run (test_schemathesis.py): the schema promised one
thing, DRF's lenient defaults did another.
"""

import json
import re

import pytest
from django.test import override_settings

from jinjie.api.fields import PERIOD_PATTERN
from jinjie.org.models import Role
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def chinese_detail(response) -> str:
    detail = json.loads(response.content)["detail"]
    assert CHINESE.search(detail), detail
    return detail


# --- bodies ----------------------------------------------------------------------------------------


@pytest.fixture
def objection(users, staff, make_proposal, today):
    """An open objection to 李四's proposal on 甲市局's notice (filed by 张三)."""
    from datetime import date

    from jinjie.approvals.services import notice_publish, objection_file

    waiting = make_proposal(staff["li"], route=("committee", "notice"), to_rank="中级B")
    waiting.step_index = 1
    waiting.save(update_fields=["step_index"])
    today.set(date(2026, 10, 10))
    committee = users[Role.COMMITTEE]
    notice = notice_publish(org_unit=committee.org_unit, proposals=[waiting.pk], actor=committee)
    today.set(date(2026, 10, 12))
    return objection_file(notice_item=notice.items.get().pk, filer=users[Role.EMPLOYEE], text="情况不实")


def test_a_json_value_of_the_wrong_type_is_refused_not_converted(client_for, objection):
    # DRF would file the objection text 0 as "0", take "5" for an id, "yes" for true.
    committee = client_for(Role.COMMITTEE)
    cases = [
        ("/api/objections/", {"notice_item": 1, "text": 0}, "text", "应为文字(字符串)"),
        ("/api/objections/", {"notice_item": "1", "text": "x"}, "notice_item", "应为整数"),
        ("/api/objections/", {"notice_item": True, "text": "x"}, "notice_item", "应为整数"),
        (f"/api/objections/{objection.pk}/resolve/", {"upheld": "yes", "reason": "x"}, "upheld", "应为 true 或 false"),
        ("/api/proposals/decide-batch/", {"ids": [1, "2"], "decision": "approve"}, "ids", "第 2 项应为整数"),
        ("/api/proposals/decide-batch/", {"ids": 1, "decision": "approve"}, "ids", "应为列表"),
        ("/api/evaluations/", {"period": 20263}, "period", "应为文字(字符串)"),
    ]
    for url, body, field, message in cases:
        response = committee.post(url, body, format="json")
        assert response.status_code == 400, (url, body, response.status_code)
        assert response.data["errors"] == {field: [message]}, (url, body)
        assert message in chinese_detail(response)


def test_a_required_text_may_not_be_blank_as_the_schema_says(client_for, served_schema):
    response = client_for(Role.EMPLOYEE).post("/api/objections/", {"notice_item": 1, "text": ""}, format="json")
    assert response.status_code == 400
    assert "text" in response.data["errors"]
    assert served_schema["components"]["schemas"]["ObjectionFileInputRequest"]["properties"]["text"]["minLength"] == 1


def test_a_field_the_input_does_not_declare_is_refused_as_the_schema_says(client_for, served_schema):
    body = {"decision": "approve", "state": "approved"}
    response = client_for(Role.COMMITTEE).post("/api/proposals/1/decide/", body, format="json")
    assert response.status_code in (400, 404)  # no proposal 1: either refusal is fine, never a write
    assert served_schema["components"]["schemas"]["DecisionInputRequest"]["additionalProperties"] is False


def test_a_form_body_is_refused_where_the_schema_says_json(client_for, objection):
    # DRF's form parsing reads a missing boolean as false: this would have dismissed the objection.
    response = client_for(Role.COMMITTEE).post(f"/api/objections/{objection.pk}/resolve/", {"reason": "x"})
    assert response.status_code == 415
    assert "multipart/form-data" in chinese_detail(response)
    from jinjie.approvals.models import ObjectionResolution

    assert not ObjectionResolution.objects.filter(objection=objection).exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_a_json_400_not_the_html_page(client_for, staff):
    response = client_for(Role.COMMITTEE).post("/api/evaluations/", {"period": "2026Q3", "org": "x" * 2000}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert chinese_detail(response) == "请求内容过大"


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_form_fields_is_a_json_400_not_the_html_page(client_for, staff):
    fields = {f"f{n}": "x" for n in range(10)}
    response = client_for(Role.HR).post("/api/imports/scores/", fields)  # multipart, as imports are
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert chinese_detail(response) == "提交的字段过多"


# --- query parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/employees/?track=", "/api/employees/?org=", "/api/me/?period=", "/api/proposals/?period=2026Q3&state="],
)
def test_an_empty_query_value_is_checked_not_dropped(client_for, evaluated, url):
    # DRF reads `?track=` as "not given" (an HTML form's empty field); the schema allows no empty value.
    response = client_for(Role.EMPLOYEE if "/me/" in url else Role.HR).get(url)
    assert response.status_code == 400, url
    chinese_detail(response)


@pytest.mark.parametrize("page", ["last", "", " 2", "+1", "1.0", "٢", "0"])
def test_a_page_is_a_number_from_one(client_for, staff, page):
    response = client_for(Role.HR).get("/api/employees/", {"page": page})
    assert response.status_code == 404, page
    chinese_detail(response)


def test_the_first_page_by_number(client_for, staff):
    response = client_for(Role.HR).get("/api/employees/", {"page": "1"})
    assert response.status_code == 200
    assert response.data["count"] == 2


def test_the_period_pattern_is_exactly_the_years_a_period_takes():
    def parses(text):
        try:
            Period.parse(text)
        except ValueError:
            return False
        return True

    for year in (0, 1, 1899, 1900, 1999, 2026, 8999, 9000, 9899, 9989, 9998, 9999):
        for quarter in (0, 1, 4, 5):
            text = f"{year:04d}Q{quarter}"
            assert bool(re.match(PERIOD_PATTERN, text)) == parses(text), text


# --- paths -----------------------------------------------------------------------------------------


def test_a_path_that_names_no_endpoint_is_a_json_404(client_for, users):
    for url in ("/api/employees/1.5/", "/api/nothing-here/", "/api/docs/assets/..%2F..%2F__init__.py"):
        response = client_for(Role.HR).get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert chinese_detail(response).startswith("没有该接口")


def test_a_missing_final_slash_is_said_not_redirected(client_for, users):
    response = client_for(Role.COMMITTEE).post("/api/evaluations", {"period": "2026Q3"}, format="json")
    assert response.status_code == 404
    assert chinese_detail(response) == "没有该接口：接口路径以 / 结尾，应为 /api/evaluations/"


def test_an_unknown_endpoint_asks_no_csrf_token_of_a_session(users):
    from rest_framework.test import APIClient

    from .conftest import PASSWORD

    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="committee", password=PASSWORD)
    response = client.post("/api/proposals/1.5/resolve/", {}, format="json")
    assert response.status_code == 404  # not the web's HTML "页面已过期" (CSRF) page
    assert response["Content-Type"] == "application/json"


@pytest.fixture
def served_schema(client_for, users):
    return client_for(Role.HR).get("/api/schema/", {"format": "json"}).json()
