"""Serializers of the reports' API (SPEC 9): the filters a caller sends, and the shapes returned."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jinjie.reports.charts import KINDS
from jinjie.reports.registry import MAX_PERIODS
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import RANKS, TRACKS

from .serializers import id_field

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The reports look back several periods from the one asked for: keep to the years they can reach.
REPORT_PERIOD_PATTERN = r"^(20[0-9]{2}|2100)Q[1-4]$"
REPORT_MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": REPORT_PERIOD_PATTERN, "example": "2026Q3"})
class ReportPeriodField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "pattern": REPORT_MONTH_PATTERN, "example": "2026-09"})
class ReportMonthField(serializers.CharField):
    pass


def _period(value: str) -> Period:
    try:
        period = Period.parse(value)
    except ValueError as e:
        raise serializers.ValidationError(str(e)) from None
    if not 2000 <= period.year <= 2100:
        raise serializers.ValidationError("测评期应在 2000–2100 年之间")
    return period


class ReportQuerySerializer(serializers.Serializer):
    org = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                help_text="单位路径(含下级单位)；不填则为本人的数据范围")
    period = ReportPeriodField(required=False, max_length=10, help_text="测评期，如 2026Q3；默认最近一个完整季度")
    date = serializers.DateField(required=False, help_text="日期(职级分布、任职时长、专卖管理员)；默认今天")
    month = ReportMonthField(required=False, max_length=7, help_text="月份 YYYY-MM(月度考核)；默认最近完整季度的最后一个月")
    track = serializers.ChoiceField(choices=TRACKS, required=False, help_text="岗位序列；不填为全部")
    target = serializers.ChoiceField(choices=RANKS[1:], required=False, help_text="目标职级(任职条件)；不填为全部")
    periods = serializers.IntegerField(required=False, min_value=2, max_value=MAX_PERIODS,
                                       help_text="晋升率与降级率：往前几个测评期，默认 8")

    def validate_period(self, value):
        return _period(value)

    def validate_month(self, value):
        if not _MONTH.match(value) or not 2000 <= int(value[:4]) <= 2100:
            raise serializers.ValidationError("月份格式应为 YYYY-MM，例如 2026-09")
        return value



class ChartSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="图表在报表中的标识")
    title = serializers.CharField(help_text="图表回答的问题")
    kind = serializers.CharField(help_text="图形：" + "、".join(KINDS))
    columns = serializers.ListField(child=serializers.CharField(), help_text="表格的列名")
    rows = serializers.JSONField(help_text="表格的行(与图中数字相同；小数以字符串给出，精确值)")
    data = serializers.JSONField(help_text="作图数据(数值为浮点数)")
    note = serializers.CharField(help_text="统计口径说明")


class ReportSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.CharField(help_text="统计范围：单位路径")
    filters = serializers.JSONField(help_text="所用的筛选条件")
    charts = ChartSerializer(many=True)


class ReportListItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    question = serializers.CharField()
    filters = serializers.ListField(child=serializers.CharField(), help_text="该报表使用的筛选参数(另有 org)")
    url = serializers.CharField()


class WhatIfQuerySerializer(serializers.Serializer):
    book = id_field(help_text="试算的职级标准(评定标准的 id，通常为草稿)")
    period = ReportPeriodField(max_length=10, help_text="用哪一期的数据试算，如 2026Q3")
    org = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                help_text="单位路径(含下级单位)；不填则为本人的数据范围")

    def validate_period(self, value):
        return _period(value)


class WhatIfDifferenceSerializer(serializers.Serializer):
    employee_no = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(help_text="所在单位(相对试算范围)")
    track = serializers.CharField()
    from_rank = serializers.CharField()
    current_to_rank = serializers.CharField(source="current.to_rank", help_text="现行标准下的建议职级")
    current_move = serializers.CharField(source="current.move")
    proposed_to_rank = serializers.CharField(source="proposed.to_rank", help_text="试算标准下的建议职级")
    proposed_move = serializers.CharField(source="proposed.move")
    criterion = serializers.CharField(help_text="两套标准评定结论不同的第一条条件")
    current_reason = serializers.CharField()
    proposed_reason = serializers.CharField()
    pay_difference = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="月职级工资增减(元)")


class WhatIfSerializer(serializers.Serializer):
    period = serializers.CharField()
    org = serializers.CharField(source="org_unit.path", default=None)
    book_version = serializers.IntegerField(source="book.version", help_text="试算标准的版本")
    in_force_version = serializers.IntegerField(source="in_force.version", help_text="该期生效标准的版本")
    evaluated = serializers.IntegerField(help_text="参加试算人数")
    changed = serializers.IntegerField(help_text="结果不同的人数")
    counts_current = serializers.DictField(child=serializers.IntegerField(), help_text="现行标准下各类结果人数")
    counts_proposed = serializers.DictField(child=serializers.IntegerField(), help_text="试算标准下各类结果人数")
    pay_current = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="现行标准下月职级工资合计(元)")
    pay_proposed = serializers.DecimalField(max_digits=16, decimal_places=2)
    pay_difference = serializers.DecimalField(max_digits=16, decimal_places=2)
    seconds = serializers.FloatField(help_text="用时(秒)")
    differences = WhatIfDifferenceSerializer(many=True)
