"""Serializers of the 竞聘 API: inputs accept only what a caller may set (StrictInput), outputs are
explicit shapes of what the selectors return (the dossier, a judge's own sheet, an applicant's
view). Nothing here writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jinjie.selections.models import (
    Application,
    Conclusion,
    Post,
    Selection,
    SelectionTransition,
    Stage,
)
from jinjie.selections.workflow import EVENT_LABELS

from .serializers import ReasonSerializer, StrictInput, id_field

SCORE_HELP = "0–100，最多 2 位小数，写成文本以免浮点误差，如 \"85.5\""


def _who(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def _number(value) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


# --- inputs ------------------------------------------------------------------------------------------


class PostInputSerializer(StrictInput):
    title = serializers.CharField(max_length=50, help_text="职务，如 客服部主任")
    places = serializers.IntegerField(min_value=1, max_value=99, default=1, help_text="职数 n")
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="岗位职责")


class SelectionCreateSerializer(StrictInput):
    org = serializers.CharField(required=False, allow_blank=True, help_text="组织单位路径；不填为本人所在单位")
    title = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="竞聘编号；不填自动编号 JP年份-序号")
    deadline = serializers.DateField(help_text="报名截止日期(含)")
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    posts = PostInputSerializer(many=True, help_text="竞聘职位")
    criteria = serializers.JSONField(required=False, help_text="报名条件(条件列表，同评定标准的条件格式)；不填为竞聘上岗的默认报名条件")
    scheme = serializers.JSONField(
        required=False,
        help_text='计分办法：{"weights": {"written": "0.30", "speech": "0.40", "democratic": "0.30"}, "pass_line": "60", '
        '"inspect_ratio": 2, "inspect_min": "70", "drop_extremes_from": 5, "ballot_points": ["100","80","60","0"]}',
    )
    notice_days = serializers.IntegerField(min_value=5, max_value=60, default=5, help_text="任前公示工作日数(≥5)")


class SelectionUpdateSerializer(StrictInput):
    title = serializers.CharField(max_length=200, required=False)
    deadline = serializers.DateField(required=False)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    posts = PostInputSerializer(many=True, required=False)
    criteria = serializers.JSONField(required=False)
    scheme = serializers.JSONField(required=False)
    notice_days = serializers.IntegerField(min_value=5, max_value=60, required=False)


class ReasonInputSerializer(StrictInput):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SelectionApplyInputSerializer(StrictInput):
    post = id_field(help_text="职位 id")
    employee_no = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="组织推荐时(人事)填写被推荐人工号；员工本人报名不填"
    )
    exception_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="破格理由")
    attachment = serializers.FileField(required=False, help_text="破格材料：PDF、PNG 或 JPEG")


class SelectionReviewInputSerializer(StrictInput):
    application = id_field()
    result = serializers.ChoiceField(choices=[("confirm", "审查通过"), ("refuse", "审查未通过")], help_text="审查结论")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ExceptionInputSerializer(StrictInput):
    application = id_field()
    reason = serializers.CharField(max_length=2000)
    attachment = serializers.FileField(help_text="PDF、PNG 或 JPEG，按文件内容判断")
    criterion = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="放宽的条件代码(可不填)")


class JudgeInputSerializer(StrictInput):
    user = id_field(help_text="评委的用户 id")


class RecusalInputSerializer(StrictInput):
    judge = id_field(help_text="评委的用户 id")
    application = id_field()
    reason = serializers.CharField(max_length=500)


class ScoreItemSerializer(StrictInput):
    application = id_field()
    score = serializers.CharField(max_length=20, help_text=SCORE_HELP)


class ScoresInputSerializer(StrictInput):
    stage = serializers.ChoiceField(choices=Stage.choices, help_text="written 笔试；speech/democratic 为不录评委评分、票数时的最终成绩")
    scores = ScoreItemSerializer(many=True)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="", help_text="更正理由(阶段已确认时必填)")


class SheetInputSerializer(StrictInput):
    marks = ScoreItemSerializer(many=True, help_text="本人对各考生的评分")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="", help_text="更正理由(已确认后)")


class BallotItemSerializer(StrictInput):
    application = id_field()
    excellent = serializers.IntegerField(min_value=0, max_value=100000, help_text="优秀")
    competent = serializers.IntegerField(min_value=0, max_value=100000, help_text="称职")
    basic = serializers.IntegerField(min_value=0, max_value=100000, help_text="基本称职")
    incompetent = serializers.IntegerField(min_value=0, max_value=100000, help_text="不称职")


class BallotsInputSerializer(StrictInput):
    ballots = BallotItemSerializer(many=True)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class StageInputSerializer(StrictInput):
    stage = serializers.ChoiceField(choices=[(s, s) for s in ("review", "written", "speech", "democratic")])


class InspectionInputSerializer(StrictInput):
    application = id_field()
    inspectors = serializers.CharField(max_length=300)
    date = serializers.DateField()
    findings = serializers.CharField(max_length=5000)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ChoiceItemSerializer(StrictInput):
    post = id_field()
    applications = serializers.ListField(child=id_field(), max_length=99)


class DecideInputSerializer(StrictInput):
    choice = ChoiceItemSerializer(many=True, required=False, help_text="各职位任用人选；不填按名次推荐")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="未按名次时必填")


class NoticeInputSerializer(StrictInput):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- outputs -------------------------------------------------------------------------------------------


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ("id", "title", "places", "duties")
        read_only_fields = fields


class SelectionSerializer(serializers.ModelSerializer):
    org_unit = serializers.CharField(source="org_unit.path", read_only=True)
    state = serializers.CharField(read_only=True, help_text="draft 草稿 … published 报名中 … appointed 任职；cancelled 已终止")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    posts = PostSerializer(many=True, read_only=True)

    class Meta:
        model = Selection
        fields = ("id", "code", "title", "org_unit", "deadline", "state", "state_label", "published_on", "notice_days", "posts")
        read_only_fields = fields


class SelectionApplicationSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    post = serializers.CharField(source="post.title", read_only=True)
    check_result = ReasonSerializer(many=True, read_only=True, help_text="截止日自动核对(报名截止后)")
    review_label = serializers.CharField(source="get_review_display", read_only=True)
    exception = serializers.SerializerMethodField(help_text="破格(放宽的条件、理由)")

    class Meta:
        model = Application
        fields = ("id", "post", "employee_no", "name", "via", "applied_at", "withdrawn_at", "eligible", "check_result",
                  "review", "review_label", "review_reason", "exception")
        read_only_fields = fields

    def get_exception(self, app) -> dict | None:
        x = self.context.get("exceptions", {}).get(app.pk)
        if x is None:
            return None
        return {"criterion": x.criterion, "label": x.criterion_label, "reason": x.reason, "attachment": x.attachment.name}


class StandingSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    post = serializers.CharField()
    employee_no = serializers.CharField()
    name = serializers.CharField()
    written = serializers.CharField(allow_null=True)
    speech = serializers.CharField(allow_null=True)
    democratic = serializers.CharField(allow_null=True)
    total = serializers.CharField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    inspect = serializers.BooleanField(help_text="列入考察")
    conclusion = serializers.CharField(allow_null=True, help_text="考察结论")
    note = serializers.CharField(help_text="未进入面试 / 成绩不全 / 资格审查未通过 / 待资格审查")


class TransitionSerializer(serializers.ModelSerializer):
    event_label = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = SelectionTransition
        fields = ("event", "event_label", "from_state", "to_state", "actor", "note", "at")
        read_only_fields = fields

    def get_event_label(self, t) -> str:
        return EVENT_LABELS.get(t.event, t.event)

    def get_actor(self, t) -> str | None:
        return _who(t.actor)


class JudgeSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.SerializerMethodField()

    def get_name(self, j) -> str:
        return _who(j.user) or ""


class AppointeeSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    name = serializers.CharField(source="application.employee.name")
    post = serializers.CharField(source="post.title")
    position = serializers.IntegerField()
    proposed = serializers.BooleanField(help_text="按名次推荐")
    proposal = serializers.IntegerField(source="proposal_id", help_text="任职建议 id(/api/proposals/{id}/)")
    state = serializers.CharField(source="proposal.state")


class DecisionSerializer(serializers.Serializer):
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()
    appointees = serializers.SerializerMethodField()

    def get_decided_by(self, d) -> str | None:
        return _who(d.decided_by)

    @extend_schema_field(AppointeeSerializer(many=True))
    def get_appointees(self, d):
        rows = d.appointees.select_related("application__employee", "post", "proposal").order_by("post__order", "position")
        return AppointeeSerializer(rows, many=True).data


class DossierSerializer(serializers.Serializer):
    selection = SelectionSerializer()
    criteria = serializers.JSONField(help_text="报名条件")
    scheme = serializers.JSONField(help_text="计分办法")
    applications = SelectionApplicationSerializer(many=True)
    judges = JudgeSerializer(many=True)
    ranking = StandingSerializer(many=True)
    sheets_visible = serializers.BooleanField(help_text="各评委评分是否已可见(演讲答辩确认后)")
    decision = DecisionSerializer(allow_null=True)
    notice = serializers.IntegerField(allow_null=True, help_text="任前公示 id(/api/notices/{id}/)")
    transitions = TransitionSerializer(many=True)


class EntryResultSerializer(serializers.Serializer):
    written = serializers.IntegerField(help_text="新写入的记录数")
    unchanged = serializers.IntegerField(help_text="与现值相同、未重复写入的")
    correction = serializers.BooleanField(help_text="是否为已确认阶段的更正")


class SheetRowSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    name = serializers.CharField(source="application.employee.name")
    post = serializers.CharField(source="application.post.title")
    mark = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="本人最新评分")
    recused = serializers.BooleanField(help_text="回避：不能评分")


class SheetSerializer(serializers.Serializer):
    mode = serializers.CharField(help_text="open 可评分；correction 已确认、修改须说明理由；closed 不能评分")
    message = serializers.CharField()
    rows = SheetRowSerializer(many=True)


class PostingSerializer(serializers.Serializer):
    selection = SelectionSerializer()
    criteria = ReasonSerializer(many=True, help_text="本人按报名截止日核对的结果；无员工档案时为空")
    application = SelectionApplicationSerializer(allow_null=True)
    may_apply = serializers.BooleanField()
    may_withdraw = serializers.BooleanField()
    reason = serializers.CharField(help_text="不能报名的原因")


class NoticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
