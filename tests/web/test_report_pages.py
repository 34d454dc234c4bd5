"""统计分析 pages: each report as a chart with its table and an Excel export of the same numbers,
filters kept in the URL, the user's subtree only; the rule-book what-if for HR."""

import io
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.reports.registry import REPORTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    cache.clear()


def chart_json(html: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"chart-{key}-data missing"
    return json.loads(found.group(1))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_each_report_page_draws_its_charts_from_json_beside_the_same_numbers(client_for, evaluated, name):
    response = client_for(Role.LEADER).get(reverse("web:report", args=[name]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html and "/static/web/charts.js" in html
    # No inline script: the data travel as JSON the chart script reads.
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts and all('type="application/json"' in attrs for attrs in scripts), scripts
    assert " onclick=" not in html and " style=" not in html
    for key in re.findall(r'data-chart="chart-([\w-]+)-data"', html):
        spec = chart_json(html, key)
        assert spec["kind"] and spec["title"].endswith("？")
        assert f'id="table-{key}"' in html
    assert "导出 Excel" in html
    assert "乙市局" not in html


def test_echarts_is_loaded_on_report_pages_only(client_for, evaluated):
    assert "echarts" not in client_for(Role.LEADER).get(reverse("web:proposals")).content.decode()
    assert "echarts" not in client_for(Role.LEADER).get(reverse("web:reports")).content.decode()


def test_the_flows_page_shows_the_periods_moves_in_chart_and_table(client_for, evaluated):
    html = client_for(Role.LEADER).get(reverse("web:report", args=["flows"]) + "?period=2026Q3").content.decode()
    links = chart_json(html, "flows")["data"]["links"]
    assert {"source": "原 初级A", "target": "新 中级C", "value": 1} in links  # 张三, SPEC 8 case B
    assert {"source": "原 初级B", "target": "新 初级A", "value": 1} in links  # 赵六, case A
    assert "<th scope=\"row\">初级A</th><td>中级C</td><td>晋级</td><td class=\"text-end\">1</td>" in html


def test_the_filters_are_kept_in_the_url_and_in_the_export_link(client_for, evaluated, tree):
    url = reverse("web:report", args=["flows"]) + f"?period=2026Q3&track=客户经理&unit={tree['county_a'].pk}"
    html = client_for(Role.LEADER).get(url).content.decode()
    assert f"unit={tree['county_a'].pk}&amp;period=2026Q3&amp;track=%E5%AE%A2%E6%88%B7%E7%BB%8F%E7%90%86" in html
    assert 'id="page-link"' in html
    # Defaults are shown in the form (and so carried by the link): the latest complete quarter.
    html = client_for(Role.LEADER).get(reverse("web:report", args=["pay"])).content.decode()
    assert re.search(r'name="period"[^>]*value="\d{4}Q[1-4]"', html)


def test_the_excel_export_holds_the_charts_table(client_for, evaluated):
    response = client_for(Role.LEADER).get(
        reverse("web:report_export", args=["flows"]) + "?period=2026Q3&chart=moves"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == ("单位", "晋档", "晋级", "跳档", "跳级", "降档", "降级", "保持", "数据不全", "合计")
    assert rows[1] == ("甲县局", 1, 1, 0, 0, 0, 0, 0, 0, 2)
    assert rows[2] == ("甲市局（本级）", 0, 0, 0, 0, 0, 0, 0, 1, 1)  # 李四: no scores


def test_bad_filters_are_explained_not_failed(client_for, evaluated, tree):
    client = client_for(Role.LEADER)
    response = client.get(reverse("web:report", args=["flows"]) + "?period=2026Q9")
    assert response.status_code == 200
    assert "季度应为 1–4" in response.content.decode() or "测评期格式" in response.content.decode()
    other = client.get(reverse("web:report", args=["flows"]) + f"?unit={tree['city_b'].pk}").content.decode()
    assert "选择一个有效的选项" in other
    assert client.get(reverse("web:report", args=["nonsense"])).status_code == 404
    export = client.get(reverse("web:report_export", args=["scores"]) + "?month=2026-13")
    assert export.status_code == 302


def test_roles_outside_spec_9_are_refused_the_reports(client_for, evaluated):
    for role in (Role.ASSESSOR, Role.TRACK_REVIEWER, Role.DISCIPLINE, Role.EMPLOYEE):
        assert client_for(role).get(reverse("web:report", args=["flows"])).status_code == 403
    for role in (Role.HR, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR):
        assert client_for(role).get(reverse("web:report", args=["flows"])).status_code == 200


def test_hr_tries_a_draft_against_a_past_period_and_nothing_is_written(client_for, evaluated, draft, tree):
    before = list(Proposal.objects.order_by("pk").values_list("pk", "state", "to_rank"))
    url = reverse("web:whatif") + f"?book={draft.pk}&period=2026Q3&unit={tree['city_a'].pk}"
    html = client_for(Role.HR).get(url).content.decode()
    assert 'id="whatif-changed">1<' in html
    assert "赵六" in html and "晋档 初级A" in html and "保持 初级B" in html and "平均绩效 85 &lt; 86 ✗" in html
    assert "-200.00" in html  # 初级A 2800 → 初级B 2600 a month
    assert chart_json(html, "whatif")["kind"] == "grouped_bar"
    assert list(Proposal.objects.order_by("pk").values_list("pk", "state", "to_rank")) == before
    export = client_for(Role.HR).get(reverse("web:whatif_export") + url[url.index("?"):])
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("A002", "赵六")


def test_the_whatif_form_offers_the_drafts_and_a_background_job_for_a_scope_too_large(client_for, evaluated, draft, tree, settings):
    html = client_for(Role.HR).get(reverse("web:whatif")).content.decode()
    assert f'<option value="{draft.pk}" selected>v2（草稿' in html
    settings.JINJIE_WHATIF_MAX_EMPLOYEES = 1
    url = reverse("web:whatif") + f"?book={draft.pk}&period=2026Q3&unit={tree['city_a'].pk}"
    html = client_for(Role.HR).get(url).content.decode()
    assert "超过页面内即时试算的上限 1 人：可以在后台试算" in html
    assert 'id="whatif-job-form"' in html and f'name="book" value="{draft.pk}"' in html
    for role in (Role.COMMITTEE, Role.LEADER, Role.DIRECTOR):
        assert client_for(role).get(url).status_code == 403
    assert client_for("hr_b").get(url).status_code == 200  # the form, with 甲市局 refused as a choice
    assert "选择一个有效的选项" in client_for("hr_b").get(url).content.decode()


def test_the_menu_shows_the_reports_to_their_readers_and_the_whatif_to_hr(client_for, users):
    assert "统计报表" in client_for(Role.LEADER).get("/").content.decode()
    assert "标准试算" not in client_for(Role.LEADER).get("/").content.decode()
    assert "标准试算" in client_for(Role.HR).get("/").content.decode()
    assert "统计报表" not in client_for(Role.ASSESSOR).get("/").content.decode()


def test_a_draft_ladder_book_offers_its_whatif_to_hr(client_for, draft):
    html = client_for(Role.HR).get(reverse("web:rulebook", args=[draft.pk])).content.decode()
    assert f'href="/reports/whatif/?book={draft.pk}" id="whatif-link"' in html
    page = client_for(Role.HR).get(reverse("web:whatif") + f"?book={draft.pk}").content.decode()
    assert f'<option value="{draft.pk}" selected>' in page and "这个字段是必填项" not in page
