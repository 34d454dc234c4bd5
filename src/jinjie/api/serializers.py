"""Serializers: read shapes are explicit field lists, write shapes accept only what a caller may set.

Nothing here writes a model: input serializers validate, the views hand the values to a service.
"""

from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jinjie.approvals.models import ApprovalStep, DayKind, Decision, DemotionLevel, Notice, NoticeItem
from jinjie.approvals.workflow import current_step
from jinjie.evaluations.models import EvaluationRun, Move, Proposal, ProposalState
from jinjie.people.models import LADDER_RANKS, MONOPOLY_LEVELS, Employee, RankChange, Track

from .fields import KeyField, PeriodField

# The largest id a BigAutoField holds (SQLite and PostgreSQL alike): a larger one is refused as
# input instead of reaching the database driver (OverflowError on SQLite, a 500).
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# JSON types as the schema states them. DRF reads 0 as the text "0", "5" or 5.0 as the integer 5
# and "yes" as true; a JSON body gets no such guesses: the wrong type is a 400 naming the field.
JSON_TYPES = (
    (serializers.BooleanField, (bool,), "应为 true 或 false"),
    (serializers.IntegerField, (int,), "应为整数"),
    (serializers.ListField, (list,), "应为列表"),
    ((serializers.CharField, serializers.ChoiceField, serializers.DateField, PeriodField), (str,), "应为文字(字符串)"),
)


def json_type_error(field, value) -> str | None:
    if value is None:
        return None  # DRF's own "不能为空" (or null where allowed)
    for kind, types, message in JSON_TYPES:
        if isinstance(field, kind):
            if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                return message
            if isinstance(field, serializers.ListField):
                wrong = next((n for n, item in enumerate(value, 1) if json_type_error(field.child, item)), None)
                if wrong is not None:
                    return f"第 {wrong} 项{json_type_error(field.child, value[wrong - 1])}"
            return None
    return None


class StrictInput(serializers.Serializer):
    # An input serializer that refuses fields it does not declare — a caller sending `state`,
    # `to_rank` or `step_index` to a decision gets a 400 naming the field, instead of a silent
    # success that leaves them believing they set it — and, in a JSON body, values of another type
    # than the schema says. (A comment, not a docstring: drf-spectacular would publish a docstring
    # as every input component's description.)

    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(data, QueryDict):  # JSON; a form sends only text
            errors = {
                name: [problem]
                for name, field in self.fields.items()
                if name in data and (problem := json_type_error(field, data[name]))
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {"detail": f"不接受的字段：{'、'.join(unknown)}（本接口只接受：{'、'.join(self.fields)}）"}
            )
        return attrs


# --- employees -----------------------------------------------------------------------------------


class EmployeeFilterSerializer(serializers.Serializer):
    org = serializers.CharField(required=False, trim_whitespace=False, help_text="单位路径，含下级单位，如 某省公司/甲市局")
    track = serializers.ChoiceField(choices=Track.choices, required=False, help_text="岗位序列")
    rank = serializers.ChoiceField(
        choices=[(r, r) for r in LADDER_RANKS + MONOPOLY_LEVELS], required=False, help_text="当前职级"
    )


def may_be_blank(model, name: str) -> serializers.ChoiceField:
    """A read-only choice that the record may leave blank ("" not yet recorded): "" is in its enum.

    (ModelSerializer drops allow_blank from read-only fields, so the schema would promise one of
    the choices where the API returns "".)"""
    field = model._meta.get_field(name)
    return serializers.ChoiceField(choices=field.choices, allow_blank=True, read_only=True, label=field.verbose_name)


class EmployeeSerializer(serializers.ModelSerializer):
    org_unit = serializers.CharField(source="org_unit.path", read_only=True)
    education = may_be_blank(Employee, "education")
    vocational_level = may_be_blank(Employee, "vocational_level")
    gender = may_be_blank(Employee, "gender")
    # The full ID number never leaves the server through the API (only the logged reveal shows it).
    id_number = serializers.CharField(source="masked_id_number", read_only=True, help_text="身份证号(已脱敏)")

    class Meta:
        model = Employee
        fields = (
            "id", "employee_no", "name", "org_unit", "track", "current_rank", "rank_since", "role_start_date",
            "hire_date", "education", "vocational_level", "pay_grade", "law_cert_valid_until", "gender",
            "id_number", "status",
        )
        read_only_fields = fields


class RankChangeSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = RankChange
        fields = ("effective_date", "from_rank", "to_rank", "reason", "source", "source_ref")
        read_only_fields = fields


class PayChangeSerializer(serializers.Serializer):
    from_date = serializers.DateField(help_text="起薪日期(职级变动生效次月1日)")
    rank = serializers.CharField()
    monthly_pay = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="职级工资(元/月)")
    previous_rank = serializers.CharField()
    previous_pay = serializers.DecimalField(max_digits=10, decimal_places=2)
    difference = serializers.DecimalField(max_digits=10, decimal_places=2)
    effective_date = serializers.DateField(help_text="职级变动生效日期")
    rulebook_version = serializers.IntegerField()


class PendingPaySerializer(serializers.Serializer):
    from_date = serializers.DateField(help_text="起薪日期")
    rank = serializers.CharField()
    monthly_pay = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="职级工资(元/月)")
    why = serializers.CharField(help_text="依据：已生效的职级变动或已批准的建议")


class PaySerializer(serializers.Serializer):
    current = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="当前职级工资(元/月)；不适用时为空"
    )
    note = serializers.CharField(help_text="不适用时的说明")
    history = PayChangeSerializer(many=True, help_text="薪酬变动(按起薪日期)")
    pending = PendingPaySerializer(allow_null=True, help_text="已决定、尚未起薪的薪酬(次月1日起)；没有时为空")


class EmployeeDetailSerializer(serializers.Serializer):
    employee = EmployeeSerializer()
    rank_history = RankChangeSerializer(many=True, help_text="职级变动(按生效日期)")
    pay = PaySerializer(help_text="职级薪酬(岗位工资基数 × 职级系数)")


# --- evaluations and proposals -------------------------------------------------------------------


class EvaluationRunInputSerializer(StrictInput):
    period = PeriodField(help_text="测评期，如 2026Q3")
    org = serializers.CharField(
        required=False, allow_blank=True, help_text="单位路径(含下级)；不填则为本人的数据范围"
    )


class EvaluationRunSerializer(serializers.ModelSerializer):
    org_unit = serializers.CharField(
        source="org_unit.path", default=None, allow_null=True, read_only=True, help_text="测评范围；全部单位时为空"
    )
    rulebook_version = serializers.IntegerField(source="rulebook.version", read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="各类结果人数(按 move)")
    problems = serializers.ListField(child=serializers.DictField(), help_text="无法测评的员工")

    class Meta:
        model = EvaluationRun
        fields = (
            "id", "period", "org_unit", "rulebook_version", "counts", "kept", "problems", "started_at", "finished_at",
        )
        read_only_fields = fields


class ProposalFilterSerializer(serializers.Serializer):
    period = PeriodField(help_text="测评期，如 2026Q3(必填)")
    move = serializers.ChoiceField(choices=Move.choices, required=False)
    state = serializers.ChoiceField(choices=ProposalState.choices, required=False)
    org = serializers.CharField(required=False, trim_whitespace=False, help_text="单位路径，含下级单位")


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="条件")
    required = serializers.CharField(help_text="要求")
    actual = serializers.CharField(help_text="实际")
    passed = serializers.BooleanField(help_text="是否满足")
    text = serializers.CharField(help_text="完整说明")


class ProposalSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    org_unit = serializers.CharField(source="employee.org_unit.path", read_only=True)
    track = serializers.CharField(source="employee.track", read_only=True)
    move_label = serializers.CharField(source="get_move_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    route = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="审批路径")

    class Meta:
        model = Proposal
        fields = (
            "id", "kind", "period", "employee_no", "name", "org_unit", "track", "from_rank", "to_rank", "move",
            "move_label", "route", "step_index", "reassign", "summary", "state", "state_label", "effective_date",
        )
        read_only_fields = fields


class MeetingSerializer(serializers.Serializer):
    """The committee's meeting (考评委员会会议) a decision was taken in."""

    held_on = serializers.DateField(help_text="会议日期 YYYY-MM-DD，不晚于今天")
    minutes_no = serializers.CharField(max_length=50, help_text="会议纪要编号")
    attendees = serializers.CharField(max_length=500, help_text="出席人员")


class ApprovalStepSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    actor = serializers.SerializerMethodField(help_text="审批人(系统记录的步骤为空)")
    meeting = MeetingSerializer(read_only=True, allow_null=True, help_text="考评委员会会议(记录了时)")

    class Meta:
        model = ApprovalStep
        fields = ("sequence", "step", "step_label", "decision", "decision_label", "actor", "actor_role", "comment",
                  "decided_at", "meeting")
        read_only_fields = fields

    def get_actor(self, step) -> str | None:
        return (step.actor.get_full_name() or step.actor.username) if step.actor_id else None


class ProposalDetailSerializer(ProposalSerializer):
    reasons = ReasonSerializer(many=True, read_only=True, help_text="评定依据：每项条件的要求、实际与结论")
    rulebook_version = serializers.IntegerField(
        source="rulebook.version", allow_null=True, read_only=True, help_text="所依据的评定标准版本；没有时为空"
    )
    current_step = serializers.SerializerMethodField(help_text="待办环节(route[step_index])；已走完为空")
    steps = serializers.SerializerMethodField(help_text="已作出的审批步骤(只增不改)")

    class Meta(ProposalSerializer.Meta):
        fields = ProposalSerializer.Meta.fields + ("reasons", "rulebook_version", "current_step", "steps")
        read_only_fields = fields

    def get_current_step(self, proposal) -> str | None:
        return current_step(proposal) if proposal.state == ProposalState.IN_REVIEW else None

    @extend_schema_field(ApprovalStepSerializer(many=True))
    def get_steps(self, proposal):
        steps = proposal.approval_steps.select_related("actor", "meeting").order_by("sequence")
        return ApprovalStepSerializer(steps, many=True).data


# --- the logged-in employee ----------------------------------------------------------------------


class MeQuerySerializer(serializers.Serializer):
    period = PeriodField(required=False, help_text="计算差距所用的测评期，默认为最近一个完整季度")
    as_of = serializers.DateField(
        required=False, help_text="专卖管理员：核对下一等级申报条件的日期，默认为今天"
    )


class TargetSerializer(serializers.Serializer):
    target = serializers.CharField(help_text="目标职级")
    met = serializers.BooleanField(help_text="是否已满足")
    gap = serializers.CharField(help_text="还差：未满足的条件")
    reasons = ReasonSerializer(many=True)


class ProjectionSerializer(serializers.Serializer):
    target = serializers.CharField(help_text="目标职级")
    period = serializers.CharField(allow_null=True, help_text="保持当前绩效时，任职时间条件最早满足的测评期；看不到时为空")
    others = serializers.ListField(child=serializers.CharField(), help_text="届时还需满足的其他条件")
    ready = serializers.BooleanField(help_text="届时是否全部满足")
    text = serializers.CharField(help_text="说明，如：保持当前绩效，2027Q2 可晋级中级C；还需：培训成绩 ≥ 80")


class LadderGapSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="所用测评期")
    current_rank = serializers.CharField()
    targets = TargetSerializer(many=True, help_text="下一档与下一级 C 档的条件")
    projections = ProjectionSerializer(many=True, help_text="推算：按当前绩效，何时可晋升(与 targets 一一对应)")
    note = serializers.CharField()
    period_rule = serializers.CharField(
        help_text="现职级未任满一个完整测评期时的说明(此前条件满足也不晋升)；任满时为空"
    )


class HeldLevelSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="已取得的专卖管理员等级")
    granted_date = serializers.DateField(help_text="取得日期")


class MonopolyGapSerializer(serializers.Serializer):
    # Reads an evaluations.qualify.MonopolyGap, with its check's fields lifted to the top level.
    # (A comment: drf-spectacular would publish a docstring as the component's description.)

    as_of = serializers.DateField(help_text="核对日期")
    held = HeldLevelSerializer(many=True, help_text="已取得的等级(由低到高)")
    level = serializers.CharField(allow_null=True, help_text="可申报的下一等级；已是最高等级时为空")
    met = serializers.BooleanField(allow_null=True, help_text="自动核对的条件是否全部满足；没有下一等级时为空")
    gap = serializers.CharField(help_text="还差：未满足的条件")
    reasons = ReasonSerializer(many=True, help_text="自动核对的条件(要求、实际、结论)")
    manual = serializers.ListField(child=serializers.CharField(), help_text="需评审认定的条件(系统不计算)")
    note = serializers.CharField(help_text="没有可申报等级时的说明")

    def to_representation(self, instance):
        q = instance.qualification
        return super().to_representation(
            {
                "as_of": instance.as_of,
                "held": [{"level": level, "granted_date": day} for level, day in instance.held],
                "level": instance.level,
                "met": None if q is None else q.met,
                "gap": "" if q is None else q.gap,
                "reasons": () if q is None else q.reasons,
                "manual": () if q is None else q.manual,
                "note": instance.note,
            }
        )


class MeSerializer(EmployeeDetailSerializer):
    gap = LadderGapSerializer(help_text="与下一档、下一级的差距(还差: …)")
    monopoly_gap = MonopolyGapSerializer(
        allow_null=True, help_text="专卖管理员：申报下一等级的条件；其他岗位序列为空"
    )


# --- decisions -----------------------------------------------------------------------------------


class DecisionInputSerializer(StrictInput):
    decision = serializers.ChoiceField(choices=Decision.choices, help_text="approve 同意 / reject 不同意")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                    help_text="意见说明；不同意时必填")
    step_index = serializers.IntegerField(
        required=False, min_value=0, help_text="您看到的当前环节序号；若建议已进入其他环节则拒绝(防止重复提交)"
    )
    meeting = MeetingSerializer(required=False, help_text="作出决定的考评委员会会议(仅考评委员会环节，可选)")


class BatchDecisionInputSerializer(StrictInput):
    ids = serializers.ListField(child=id_field(), min_length=1, max_length=1000,
                                help_text="建议编号")
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    meeting = MeetingSerializer(required=False, help_text="作出决定的考评委员会会议(仅考评委员会环节，可选)")


class SubmitInputSerializer(StrictInput):
    ids = serializers.ListField(child=id_field(), min_length=1, max_length=5000,
                                required=False, help_text="要提交的建议编号；或改用 period(+org) 提交整期")
    period = PeriodField(required=False, help_text="提交该测评期的全部待提交建议")
    org = serializers.CharField(required=False, allow_blank=True, help_text="与 period 一起用：单位路径，默认本单位")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("ids" in attrs) == ("period" in attrs):
            raise serializers.ValidationError({"detail": "请指定 ids(建议编号) 或 period(测评期) 之一"})
        return attrs


class DecisionResultSerializer(serializers.Serializer):
    proposal = ProposalDetailSerializer()
    step = ApprovalStepSerializer(help_text="本次记录的审批步骤")
    fallback = ProposalSerializer(allow_null=True, help_text="跳档/跳级不通过后改按一步晋升的新建议")


class BatchDecisionResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    proposals = ProposalSerializer(many=True)
    fallbacks = ProposalSerializer(many=True)


class SubmitResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    proposals = ProposalSerializer(many=True)


# --- notices and objections ----------------------------------------------------------------------


class NoticeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeItem
        fields = ("id", "position", "proposal", "name", "unit_name", "from_rank", "to_rank", "move_label")
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    org_unit = serializers.CharField(source="org_unit.path", read_only=True)
    day_kind_label = serializers.CharField(source="get_day_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = ("id", "org_unit", "title", "published_on", "start_date", "end_date", "days", "day_kind",
                  "day_kind_label", "published_at")
        read_only_fields = fields


class NoticeDetailSerializer(NoticeSerializer):
    items = NoticeItemSerializer(many=True, read_only=True, help_text="公示事项；异议针对其中一项(id)")

    class Meta(NoticeSerializer.Meta):
        fields = NoticeSerializer.Meta.fields + ("items",)
        read_only_fields = fields


class NoticePublishInputSerializer(StrictInput):
    ids = serializers.ListField(child=id_field(), min_length=1, max_length=5000,
                                help_text="待公示的建议编号")
    org = serializers.CharField(required=False, allow_blank=True, help_text="公示单位路径，默认本单位")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="默认自动生成")
    days = serializers.IntegerField(required=False, min_value=1, max_value=60, help_text="公示天数，默认按评定标准")
    day_kind = serializers.ChoiceField(choices=DayKind.choices, required=False, help_text="自然日或工作日")


class ObjectionSerializer(serializers.Serializer):
    # An objection as the caller may see it: `filer` is "（不公开）" unless they may know (SPEC 2.4).

    id = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal_id")
    notice_item = serializers.IntegerField(source="notice_item_id")
    text = serializers.CharField()
    filed_at = serializers.DateTimeField()
    filer = serializers.CharField(source="filer_display", help_text="提出人；无权查看时为“（不公开）”")
    filer_id = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=[("open", "待处理"), ("upheld", "异议成立"), ("dismissed", "异议不成立")])
    status_label = serializers.CharField()
    resolution_reason = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolver_name = serializers.CharField()


class ObjectionFilterSerializer(serializers.Serializer):
    proposal = id_field(required=False, help_text="只看该建议的异议")


class ObjectionFileInputSerializer(StrictInput):
    notice_item = id_field(help_text="公示事项编号(见公示的 items)")
    text = serializers.CharField(max_length=2000, help_text="异议内容")


class ObjectionResolveInputSerializer(StrictInput):
    upheld = serializers.BooleanField(help_text="true 异议成立(建议不通过)；false 异议不成立")
    reason = serializers.CharField(max_length=2000, help_text="处理意见")


class ObjectionResolutionSerializer(serializers.Serializer):
    objection = ObjectionSerializer()
    proposal = ProposalSerializer(help_text="处理后的建议")


# --- immediate demotions and reassignment ------------------------------------------------------


class ImmediateDemotionInputSerializer(StrictInput):
    employee_no = KeyField(max_length=32, help_text="工号")
    violation_date = serializers.DateField(help_text="违规记录的日期(YYYY-MM-DD)")
    violation_description = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="违规说明；同一天有多条违规时必填以区分"
    )
    to_level = serializers.ChoiceField(choices=DemotionLevel.choices, help_text="grade 降档 / level 降级")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReassignmentClosureSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text="new_post 调整到新岗位 / other 其他处理")
    outcome_label = serializers.CharField(source="get_outcome_display")
    new_post = serializers.CharField()
    decided_on = serializers.DateField(help_text="决定日期")
    comment = serializers.CharField()
    actor = serializers.CharField(source="actor.username", help_text="办理人")
    closed_at = serializers.DateTimeField()


class ReassignmentCaseSerializer(serializers.Serializer):
    proposal = ProposalSerializer()
    employee = EmployeeSerializer()
    rank_history = RankChangeSerializer(many=True)
    applied = serializers.BooleanField(help_text="降级是否已生效")
    closed = serializers.BooleanField(help_text="人事劳资是否已记录调整决定并办结")
    closure = ReassignmentClosureSerializer(allow_null=True, help_text="调整决定(未办结时为空)")


class ReassignmentCloseInputSerializer(StrictInput):
    outcome = serializers.ChoiceField(
        choices=[("new_post", "调整到新岗位"), ("other", "其他处理")], help_text="new_post 调整到新岗位 / other 其他处理"
    )
    decided_on = serializers.DateField(help_text="决定日期 YYYY-MM-DD：不早于降级生效日期，不晚于今天")
    new_post = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                     help_text="新岗位(调整到新岗位时必填)")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                    help_text="说明(其他处理时必填)")


# --- imports -------------------------------------------------------------------------------------


class ImportInputSerializer(StrictInput):
    file = serializers.FileField(help_text="CSV(UTF-8，可带 BOM)或 XLSX(第一个工作表)，首行为表头")


class ImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(required=False, default=False, help_text="1 = 只校验，不写入")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="行号(表头为第 1 行)；整个文件的问题为空")
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    filename = serializers.CharField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(help_text="是否已写入")
    rows = serializers.IntegerField(help_text="数据行数")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    detail = serializers.CharField(source="summary", help_text="结果说明")


class ImportReportSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="结果说明：未写入任何数据")
    error_count = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="errors 只列出前 1000 处")
    errors = RowErrorSerializer(many=True)
