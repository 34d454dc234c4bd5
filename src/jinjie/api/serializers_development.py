"""Serializers of the career-development endpoints (SPEC 5, 2.6). Read shapes are explicit field
lists; a talk's 保密 note is read from development.selectors' TalkView, never from the model."""

from rest_framework import serializers

from jinjie.development.models import ActionStatus, QuestionKind
from jinjie.rules.favour import FAVOUR_KINDS
from jinjie.rules.ladder import TRACKS

from .serializers import StrictInput, TargetSerializer


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


# --- plans ---------------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    due = serializers.CharField(allow_blank=True, required=False, help_text="完成期限 YYYY-MM-DD，可空")
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False, default=ActionStatus.TODO)
    evidence = serializers.CharField(allow_blank=True, required=False, max_length=500)
    source = serializers.CharField(allow_blank=True, required=False, max_length=50, help_text="gap:… 来自晋升差距；talk:… 来自谈话")


class PlanVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    target_rank = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    goals = serializers.CharField()
    actions = ActionSerializer(many=True)
    saved_at = serializers.DateTimeField()
    saved_by = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_saved_by(self, v) -> str | None:
        return _name(v.saved_by)


class PlanCommentSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    capacity = serializers.CharField(help_text="导师 / 分局(公司)领导 / 人事劳资")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_author(self, c) -> str | None:
        return _name(c.author)


class PlanSerializer(serializers.Serializer):
    employee_no = serializers.CharField()
    name = serializers.CharField()
    current = PlanVersionSerializer(allow_null=True, help_text="现行版本；未制定时为空")
    versions = PlanVersionSerializer(many=True, help_text="全部版本(新的在前)")
    comments = PlanCommentSerializer(many=True)


class PlanInputSerializer(StrictInput):
    target_rank = serializers.CharField(required=False, allow_blank=True, default="")
    target_date = serializers.DateField(required=False, allow_null=True, default=None)
    goals = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    actions = ActionSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CommentInputSerializer(StrictInput):
    text = serializers.CharField(max_length=2000)


# --- talks ---------------------------------------------------------------------------------------


class TalkSerializer(serializers.Serializer):
    # Reads a development.selectors.talks.TalkView.
    id = serializers.IntegerField(source="talk.pk")
    employee_no = serializers.CharField(source="talk.employee.employee_no")
    name = serializers.CharField(source="talk.employee.name")
    date = serializers.DateField(source="talk.date")
    participants = serializers.CharField(source="talk.participants")
    topics = serializers.CharField(source="talk.topics")
    agreed_actions = serializers.ListField(source="talk.agreed_actions", child=serializers.CharField())
    follow_up = serializers.DateField(source="talk.follow_up", allow_null=True)
    acknowledged_at = serializers.DateTimeField(source="talk.acknowledged_at", allow_null=True)
    confidential_note = serializers.CharField(
        source="note", allow_null=True, help_text="保密记录：只有人事劳资能读到，其他人始终为空"
    )


class TalkInputSerializer(StrictInput):
    employee_no = serializers.CharField(max_length=32)
    date = serializers.DateField()
    participants = serializers.CharField(max_length=300)
    topics = serializers.CharField(max_length=5000)
    agreed_actions = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list, max_length=20)
    follow_up = serializers.DateField(required=False, allow_null=True, default=None)
    confidential_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- mentorships ---------------------------------------------------------------------------------


class MentorshipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mentor_no = serializers.CharField(source="mentor.employee_no")
    mentor = serializers.CharField(source="mentor.name")
    mentee_no = serializers.CharField(source="mentee.employee_no")
    mentee = serializers.CharField(source="mentee.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    goals = serializers.CharField()


class MentorshipInputSerializer(StrictInput):
    mentor_no = serializers.CharField(max_length=32)
    mentee_no = serializers.CharField(max_length=32)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    goals = serializers.CharField(max_length=2000)


class MenteeGapSerializer(serializers.Serializer):
    period = serializers.CharField()
    targets = TargetSerializer(many=True)


class MenteeSerializer(serializers.Serializer):
    # Reads a development.selectors.mentors.MenteeView: rank, gap and plan — nothing else.
    employee_no = serializers.CharField(source="employee.employee_no")
    name = serializers.CharField(source="employee.name")
    current_rank = serializers.CharField(source="employee.current_rank")
    gap = MenteeGapSerializer(allow_null=True)
    plan = PlanVersionSerializer(allow_null=True)


class MeetingInputSerializer(StrictInput):
    date = serializers.DateField()
    notes = serializers.CharField(max_length=5000)


class MentorMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    notes = serializers.CharField()


class RatingInputSerializer(StrictInput):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class RatingSerializer(serializers.Serializer):
    side = serializers.CharField()
    score = serializers.IntegerField()
    comment = serializers.CharField()


# --- surveys -------------------------------------------------------------------------------------


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    # Plain text rather than an enum: the schema keeps one "kind" enum (the import kinds').
    kind = serializers.CharField(max_length=10, help_text="题型：scale(1–5 分)、choice(单选)、text(文字)")

    def validate_kind(self, value):
        if value not in QuestionKind.values:
            raise serializers.ValidationError("题型应为 scale、choice 或 text")
        return value

    text = serializers.CharField(max_length=300)
    options = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list, max_length=20)


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    org_unit = serializers.CharField(source="org_unit.path")
    tracks = serializers.ListField(child=serializers.CharField())
    opens = serializers.DateField()
    closes = serializers.DateField()
    state = serializers.CharField()
    questions = QuestionSerializer(many=True, source="questions.all")


class SurveyInputSerializer(StrictInput):
    title = serializers.CharField(max_length=100)
    intro = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    org = serializers.CharField(required=False, allow_blank=True, help_text="调查范围(单位路径)，默认本人单位")
    tracks = serializers.ListField(child=serializers.CharField(max_length=10), min_length=1, max_length=len(TRACKS), help_text="岗位序列：客户经理、市场管理员、专卖管理员")
    opens = serializers.DateField()
    closes = serializers.DateField()
    questions = QuestionSerializer(many=True)


class SurveyStateInputSerializer(StrictInput):
    action = serializers.ChoiceField(choices=[("open", "发布"), ("close", "结束")])


class AnswerInputSerializer(StrictInput):
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000),
        help_text="题目 id → 答案(1–5、选项文字或意见)",
    )


class AnswerResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField(help_text="保存的答案数(不含空白意见)")


class CellSerializer(serializers.Serializer):
    label = serializers.CharField()
    shown = serializers.BooleanField(help_text="人数不足 5(或可被推算)时为 false，其余字段为空")
    count = serializers.SerializerMethodField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    distribution = serializers.SerializerMethodField()
    texts = serializers.ListField(child=serializers.CharField(), help_text="意见(随机顺序)")
    note = serializers.SerializerMethodField()

    def get_count(self, c) -> int | None:
        return c.count if c.shown else None

    def get_distribution(self, c) -> dict[str, int]:
        return dict(c.distribution)

    def get_note(self, c) -> str:
        return "" if c.shown else "样本不足，不予显示"


class QuestionResultSerializer(serializers.Serializer):
    question = QuestionSerializer()
    overall = CellSerializer()
    by_unit = CellSerializer(many=True)
    by_track = CellSerializer(many=True)


# --- schemes -------------------------------------------------------------------------------------


class SchemeItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    max = serializers.CharField(max_length=10, help_text="满分，写成字符串，如 \"50\"")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class SchemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    track = serializers.CharField()
    version = serializers.IntegerField()
    effective_from = serializers.DateField()
    status = serializers.CharField()
    items = SchemeItemSerializer(many=True)
    note = serializers.CharField()


class SchemeInputSerializer(StrictInput):
    track = serializers.CharField(max_length=10, help_text="岗位序列：客户经理 或 市场管理员")
    effective_from = serializers.DateField()
    items = SchemeItemSerializer(many=True, min_length=1, max_length=30)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


# --- favour lists --------------------------------------------------------------------------------


class FavourEntrySerializer(serializers.Serializer):
    employee_no = serializers.CharField()
    name = serializers.CharField()
    org_unit = serializers.CharField()
    track = serializers.CharField()
    rank = serializers.CharField(help_text="12 月 31 日所任职级")
    avg = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    bonus = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    excluded = serializers.CharField(help_text="未列入的原因；列入排名时为空")


class FavourListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    org_unit = serializers.CharField(source="org_unit.path")
    rulebook_version = serializers.IntegerField(source="rulebook.version")
    drawn_at = serializers.DateTimeField()
    frozen_at = serializers.DateTimeField(allow_null=True)


class FavourListDetailSerializer(FavourListSerializer):
    entries = FavourEntrySerializer(many=True, source="entries.all")


class FavourDrawInputSerializer(StrictInput):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.CharField(max_length=10, help_text="名单类别：" + "、".join(FAVOUR_KINDS))
    org = serializers.CharField(required=False, allow_blank=True, help_text="单位路径，默认本人单位")

