"""/api/reports/: the data behind each chart as JSON, the same figures as the pages; the what-if."""

import copy
from datetime import date

import pytest
from django.core.cache import cache

from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.reports.registry import REPORTS
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.services import rulebook_create_draft
from jinjie.rules import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    cache.clear()


def test_the_list_names_every_report_with_its_filters(client_for, users):
    data = client_for(Role.LEADER).get("/api/reports/").data
    assert [r["name"] for r in data] == list(REPORTS)
    assert data[1]["url"] == "/api/reports/flows/" and data[1]["filters"] == ["period", "track"]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_each_report_answers_its_charts_as_json(client_for, evaluated, name):
    response = client_for(Role.LEADER).get(f"/api/reports/{name}/")
    assert response.status_code == 200, response.data
    assert response.data["name"] == name and response.data["scope"] == "某省公司/甲市局"
    for chart in response.data["charts"]:
        assert chart["title"].endswith("？") and chart["columns"] and "data" in chart


def test_the_flows_of_a_period_in_a_county(client_for, evaluated):
    data = client_for(Role.LEADER).get("/api/reports/flows/?period=2026Q3&org=某省公司/甲市局/甲县局").data
    flows, moves = data["charts"]
    # 张三 (SPEC 8 case A) and 李四 (no scores)
    assert flows["rows"] == [["初级B", "初级A", "晋档", 1], ["中级C", "中级C", "数据不全", 1]]
    assert {"source": "原 初级B", "target": "新 初级A", "value": 1} in flows["data"]["links"]
    assert moves["rows"] == [["甲县局", 1, 0, 0, 0, 0, 0, 0, 1, 2]]
    assert data["filters"] == {"period": "2026Q3", "track": ""}


def test_exact_figures_are_strings_and_chart_values_numbers(client_for, evaluated):
    data = client_for(Role.LEADER).get("/api/reports/pay/?period=2026Q3").data
    row = data["charts"][0]["rows"][0]
    assert row[:3] == ["甲县局", 2, "5800.00"]  # before: 张三 初级B 2000 × 1.3 + 李四 中级C 2000 × 1.6
    assert data["charts"][0]["data"]["series"][0]["data"][0] == 5800.0


def test_another_citys_unit_is_not_found_and_bad_filters_are_a_chinese_400(client_for, evaluated):
    client = client_for(Role.LEADER)
    assert client.get("/api/reports/flows/?org=某省公司/乙市局").status_code == 404
    assert client.get("/api/reports/nonsense/").status_code == 404
    for query in ("period=2026Q9", "month=2026-13", "date=2026-02-30", "periods=1", "target=将军", "track=x"):
        response = client.get(f"/api/reports/rates/?{query}")
        assert response.status_code == 400, query
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.data["detail"]), response.data


def test_the_whatif_compares_a_draft_with_the_book_in_force_and_writes_nothing(client_for, evaluated, users):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["初级A"]["criteria"][3]["value"] = "86"  # 张三's 85 no longer enough
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2027, 1, 1))
    before = Proposal.objects.count()
    response = client_for(Role.HR).get(f"/api/reports/whatif/?book={draft.pk}&period=2026Q3")
    assert response.status_code == 200, response.data
    data = response.data
    assert (data["org"], data["evaluated"], data["changed"]) == ("某省公司/甲市局", 2, 1)
    diff = data["differences"][0]
    assert (diff["employee_no"], diff["current_move"], diff["proposed_move"], diff["criterion"]) == (
        "A001", "grade_up", "hold", "平均绩效"
    )
    assert diff["pay_difference"] == "-200.00" and data["pay_difference"] == "-200.00"
    assert Proposal.objects.count() == before
    assert client_for(Role.COMMITTEE).get(f"/api/reports/whatif/?book={draft.pk}&period=2026Q3").status_code == 403
    assert client_for(Role.HR).get("/api/reports/whatif/?book=999999&period=2026Q3").status_code == 404
