"""Serializers of 申报 (SPEC 3.1): read shapes list their fields; input shapes accept only what a
caller may set (StrictInput refuses anything else)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.selectors import STATUS_LABELS, status_detail, status_of
from jinjie.rules.ladder import MONOPOLY_LEVELS

from .serializers import StrictInput, id_field

LEVELS = [(level, level) for level in MONOPOLY_LEVELS]


class RoundInputSerializer(StrictInput):
    title = serializers.CharField(max_length=100, help_text="批次名称")
    org = serializers.CharField(max_length=500, help_text="批次范围：单位路径(含下级)，如 某省公司/甲市局")
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=LEVELS), min_length=1, max_length=len(MONOPOLY_LEVELS),
        help_text="开放申报的等级，如 [\"中级专卖管理员\"]",
    )
    opens = serializers.DateField(help_text="申报开始 YYYY-MM-DD")
    closes = serializers.DateField(help_text="申报截止(含) YYYY-MM-DD")
    check_date = serializers.DateField(required=False, allow_null=True, help_text="资格审查基准日，默认为截止日")


class RoundSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org_unit.path", read_only=True)
    status = serializers.SerializerMethodField(help_text="upcoming 未开始 / open 申报中 / due 已截止待审查 / closed 已审查")
    counts = serializers.SerializerMethodField(help_text="本人数据范围内各状态的申报人数")

    class Meta:
        model = ApplicationRound
        fields = ("id", "title", "org", "levels", "opens", "closes", "check_date", "status", "closed_on", "counts")
        read_only_fields = fields

    def get_status(self, obj) -> str:
        return self.context["status"](obj)

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, obj) -> dict:
        return self.context["counts"].get(obj.pk, {})


class CloseResultSerializer(serializers.Serializer):
    round = RoundSerializer()
    checked = serializers.IntegerField(help_text="资格审查通过人数")
    ineligible = serializers.IntegerField(help_text="资格审查未通过人数")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.CharField()
    actual = serializers.CharField(allow_blank=True)
    ok = serializers.BooleanField()


class MarkSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField(help_text="true 符合 / false 不符合")


class ManualItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="审核时用作 items 的键")
    label = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id", read_only=True)
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    org_unit = serializers.CharField(source="employee.org_unit.path", read_only=True)
    state = serializers.SerializerMethodField(help_text="、".join(f"{k} {v}" for k, v in STATUS_LABELS.items()))
    state_label = serializers.SerializerMethodField()
    checks = CheckSerializer(many=True, read_only=True, help_text="资格审查：申报时核对，截止时重新审查并冻结")
    frozen = serializers.SerializerMethodField(help_text="资格审查结果是否已冻结(批次已截止)")
    rulebook_version = serializers.IntegerField(source="rulebook.version", default=None, read_only=True)
    manual_items = ManualItemSerializer(many=True, read_only=True)
    marks = MarkSerializer(many=True, read_only=True, help_text="专卖监督管理科的评审认定")
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True, read_only=True,
                                        help_text="审核通过后的审批建议编号(/api/proposals/{id}/)")

    class Meta:
        model = Application
        fields = (
            "id", "round", "employee_no", "name", "org_unit", "level", "state", "state_label", "checks", "frozen",
            "checked_at", "rulebook_version", "manual_items", "marks", "review_comment", "reviewed_at", "proposal",
            "applied_at",
        )
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return status_of(obj)

    def get_state_label(self, obj) -> str:
        return status_detail(obj)

    def get_frozen(self, obj) -> bool:
        return obj.checked_at is not None


class ApplicationFilterSerializer(serializers.Serializer):
    round = id_field(required=False, help_text="申报批次编号")
    state = serializers.ChoiceField(choices=list(STATUS_LABELS.items()), required=False)


class ApplyInputSerializer(StrictInput):
    round = id_field(help_text="申报批次编号")
    level = serializers.ChoiceField(choices=LEVELS, required=False, help_text="申报等级(只能是下一等级；不填即下一等级)")
    employee_no = serializers.CharField(required=False, max_length=32, help_text="人事劳资代为申报时填写员工工号")


class ReviewInputSerializer(StrictInput):
    items = serializers.DictField(
        child=serializers.BooleanField(), help_text="每个评审认定项 {code: true 符合 | false 不符合}，须全部填写"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                    help_text="审核意见；有不符合项时必填")
