"""我的职业发展 (SPEC 5): the projection ("保持当前绩效 …"), each month's items and the 12-month trend
chart (ECharts served locally, data in a JSON block, no inline script); /api/me/ carries the same
projection."""

from decimal import Decimal

import pytest

from jinjie.assessments.models import MonthlyScore

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_projection_items_and_the_trend(users, staff, web):
    MonthlyScore.objects.filter(employee=staff["zhang"], month="2026-09").update(
        items={"卷烟营销指标": 43, "服务质量指标": 26, "基础管理与纪律": 17}
    )
    body = web("zhang").get("/me/").content.decode()
    # case C: 36 months in role from 2024-04-01 at the boundary 2027-04-01
    assert "保持当前绩效，2027Q1 可晋级中级C" in body
    assert 'id="score-items"' in body and "卷烟营销指标<span" in body and ">43<" in body
    assert 'data-chart="line"' in body and 'id="score-trend-data" type="application/json"' in body
    assert "vendor/echarts/echarts.min.js" in body and "web/trend_chart.js" in body


def test_the_chart_script_is_loaded_only_where_there_is_a_chart(users, web):
    assert "echarts.min.js" not in web("zhao").get("/me/").content.decode()  # 赵六 has no scores
    assert "echarts.min.js" not in web("hr").get("/portal/").content.decode()


def test_api_me_has_the_projection(users, api):
    gap = api("zhang").get("/api/me/").json()["gap"]
    assert gap["projections"][0] == {
        "target": "中级C", "period": "2027Q1", "others": [], "ready": True, "text": "保持当前绩效，2027Q1 可晋级中级C",
    }


def test_the_trend_keeps_the_last_twelve_months(users, staff):
    from jinjie.assessments.selectors import score_trend

    for m in range(1, 13):
        MonthlyScore.objects.get_or_create(employee=staff["zhang"], month=f"2025-{m:02d}", defaults={"score": Decimal(80)})
    trend = score_trend(employee=staff["zhang"])
    # twelve calendar months ending with the latest scored; 2026-01 … 2026-06 are gaps
    assert trend["chart"]["months"][0] == "2025-10" and trend["chart"]["months"][-1] == "2026-09"
    assert trend["chart"]["series"][0]["data"] == [80.0, 80.0, 80.0] + [None] * 6 + [88.0, 87.0, 86.0]
    assert [r["month"] for r in trend["rows"]] == ["2025-10", "2025-11", "2025-12", "2026-07", "2026-08", "2026-09"]
