"""Career development (职业生涯规划, SPEC 5) and the favour lists (SPEC 2.6).

History is kept the project's way: portal page revisions, plan versions, plan comments, mentor
meetings and ratings are insert-only (AppendOnlyModel, database triggers). Two tables are built for
what they must NOT hold:

- Survey answers carry no link to the person: no employee or user column, no timestamp, and a unit
  no finer than the survey's reporting group. Their primary key is a random UUID, so neither the
  id order nor an id range ties an answer to the participation row written beside it; the
  participation table ("who answered", for "answer once") has random UUIDs too and no link to the
  answers. (What the application cannot offer, a database administrator could still guess from
  physical storage — SQLite's hidden rowid, PostgreSQL's xmin — which no query of the application
  reads.)
- A talk's 保密 note lives in its own table, read only by development.selectors for a viewer who
  holds talks.read_confidential over the employee: a page, serializer or export that forgets to
  hide it has nothing to forget.
"""

import uuid

from django.conf import settings
from django.db import models

from jinjie.core.append_only import AppendOnlyModel
from jinjie.rules.favour import FAVOUR_KINDS

USER = settings.AUTH_USER_MODEL


# --- the portal (职业发展中心) --------------------------------------------------------------------


class PortalPage(models.Model):
    """A page HR writes (发展战略, 晋升制度, 培训方案 …) for the staff of `org_unit` and below."""

    slug = models.SlugField("地址", max_length=50, unique=True)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="适用单位", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "职业发展中心页面"
        verbose_name_plural = "职业发展中心页面"
        ordering = ["position", "slug"]


class PortalRevision(AppendOnlyModel):
    """One saved version of a page: the Markdown as written and its sanitised HTML (nh3)."""

    page = models.ForeignKey(PortalPage, verbose_name="页面", on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文(Markdown)")
    html = models.TextField("正文(已净化的 HTML)")
    effective_from = models.DateField("生效日期")
    saved_at = models.DateTimeField("更新时间", auto_now_add=True)
    saved_by = models.ForeignKey(USER, verbose_name="更新人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "页面版本"
        verbose_name_plural = "页面版本"
        ordering = ["page", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="portal_revision_number")]


# --- individual development plans (个人发展计划) -----------------------------------------------------


class ActionStatus(models.TextChoices):
    TODO = "todo", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"


class DevelopmentPlan(models.Model):
    """An employee's plan; what it says is its latest version (every saved version is kept)."""

    employee = models.OneToOneField("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="development_plan")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "个人发展计划"
        verbose_name_plural = "个人发展计划"


class PlanVersion(AppendOnlyModel):
    """A saved plan: target, goals and actions [{text, due, status, evidence, source}]."""

    plan = models.ForeignKey(DevelopmentPlan, verbose_name="计划", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    target_rank = models.CharField("目标职级/等级", max_length=20, blank=True, default="")
    target_date = models.DateField("目标日期", null=True, blank=True)
    goals = models.TextField("发展目标", blank=True, default="")
    actions = models.JSONField("行动", default=list)
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)
    saved_by = models.ForeignKey(USER, verbose_name="保存人", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("修改说明", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "计划版本"
        verbose_name_plural = "计划版本"
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]


class PlanComment(AppendOnlyModel):
    plan = models.ForeignKey(DevelopmentPlan, verbose_name="计划", on_delete=models.PROTECT, related_name="comments")
    version = models.PositiveIntegerField("针对版本")
    author = models.ForeignKey(USER, verbose_name="点评人", on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField("身份", max_length=20)  # 导师 / 分局(公司)领导 / 人事劳资
    text = models.TextField("点评")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "计划点评"
        verbose_name_plural = "计划点评"
        ordering = ["plan", "created_at", "id"]


# --- career talks (职业规划谈话) ---------------------------------------------------------------------


class CareerTalk(models.Model):
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="career_talks")
    date = models.DateField("谈话日期")
    participants = models.CharField("参加人员", max_length=300)
    topics = models.TextField("谈话内容")
    agreed_actions = models.JSONField("商定的行动", default=list)
    follow_up = models.DateField("跟进日期", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    acknowledged_at = models.DateTimeField("员工确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "职业规划谈话"
        verbose_name_plural = "职业规划谈话"
        ordering = ["-date", "-id"]


class TalkNote(models.Model):
    """The 保密 note of a talk: HR only. Its own table, so no query of talks carries it along."""

    talk = models.OneToOneField(CareerTalk, verbose_name="谈话", on_delete=models.CASCADE, related_name="+")
    text = models.TextField("保密记录")

    class Meta:
        verbose_name = "谈话保密记录"
        verbose_name_plural = "谈话保密记录"


# --- mentors (导师制) -------------------------------------------------------------------------------


class Mentorship(models.Model):
    mentor = models.ForeignKey("people.Employee", verbose_name="导师", on_delete=models.PROTECT, related_name="mentees")
    mentee = models.ForeignKey("people.Employee", verbose_name="学员", on_delete=models.PROTECT, related_name="mentors")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    goals = models.TextField("带教目标")
    ended_on = models.DateField("提前结束日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="安排人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    class Meta:
        verbose_name = "导师结对"
        verbose_name_plural = "导师结对"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(mentor=models.F("mentee")), name="mentor_is_not_mentee"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="mentorship_period"),
        ]

    @property
    def last_day(self):
        return min(self.end_date, self.ended_on) if self.ended_on else self.end_date


class MentorMeeting(AppendOnlyModel):
    mentorship = models.ForeignKey(Mentorship, verbose_name="结对", on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField("日期")
    notes = models.TextField("内容")
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "带教记录"
        verbose_name_plural = "带教记录"
        ordering = ["mentorship", "date", "id"]


class RatingSide(models.TextChoices):
    MENTOR = "mentor", "导师"
    MENTEE = "mentee", "学员"


class MentorRating(AppendOnlyModel):
    mentorship = models.ForeignKey(Mentorship, verbose_name="结对", on_delete=models.PROTECT, related_name="ratings")
    side = models.CharField("评价方", max_length=10, choices=RatingSide.choices)
    score = models.PositiveSmallIntegerField("评分(1–5)")
    comment = models.TextField("评语", blank=True, default="")
    rated_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "结对评价"
        verbose_name_plural = "结对评价"
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "side"], name="one_rating_per_side"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5"),
        ]


# --- surveys (职业满意度调查) -------------------------------------------------------------------------


class SurveyState(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "已发布"
    CLOSED = "closed", "已结束"


class Survey(models.Model):
    title = models.CharField("标题", max_length=100)
    intro = models.TextField("说明", blank=True, default="")
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="调查范围", on_delete=models.PROTECT, related_name="+")
    tracks = models.JSONField("岗位序列", default=list)
    opens = models.DateField("开始日期")
    closes = models.DateField("截止日期")
    state = models.CharField("状态", max_length=10, choices=SurveyState.choices, default=SurveyState.DRAFT)
    created_by = models.ForeignKey(USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "职业满意度调查"
        verbose_name_plural = "职业满意度调查"
        ordering = ["-opens", "-id"]


class QuestionKind(models.TextChoices):
    SCALE = "scale", "1–5 分"
    CHOICE = "choice", "单选"
    TEXT = "text", "文字"


class Question(models.Model):
    survey = models.ForeignKey(Survey, verbose_name="调查", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)

    class Meta:
        verbose_name = "调查题目"
        verbose_name_plural = "调查题目"
        ordering = ["survey", "position", "id"]


class Participation(models.Model):
    """Who has answered (for "at most once"). No link to the answers, no time; a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name="调查", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "参与记录"
        verbose_name_plural = "参与记录"
        constraints = [models.UniqueConstraint(fields=["survey", "employee"], name="answer_once")]


class Answer(models.Model):
    """One answer to one question, by nobody in particular: the reporting group is the unit at the
    survey's report level (the survey unit's direct sub-unit) and the track. Random key, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name="调查", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.PROTECT, related_name="+")
    group_unit = models.ForeignKey("org.OrgUnit", verbose_name="统计单位", on_delete=models.PROTECT, related_name="+")
    group_track = models.CharField("统计岗位序列", max_length=10)
    number = models.PositiveSmallIntegerField("分值", null=True, blank=True)
    choice = models.CharField("选项", max_length=100, blank=True, default="")
    text = models.TextField("文字", blank=True, default="")

    class Meta:
        verbose_name = "调查答案"
        verbose_name_plural = "调查答案"
        indexes = [models.Index(fields=["survey", "question"])]


# --- favour lists (SPEC 2.6) ---------------------------------------------------------------------


class FavourList(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=10, choices=[(k, k) for k in FAVOUR_KINDS])
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    rulebook = models.ForeignKey("rulebooks.RuleBook", verbose_name="评定标准", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("生成时间")
    drawn_by = models.ForeignKey(USER, verbose_name="生成人", on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    frozen_by = models.ForeignKey(USER, verbose_name="冻结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "评先/外派学习/推荐干部名单"
        verbose_name_plural = "评先/外派学习/推荐干部名单"
        ordering = ["-year", "kind", "org_unit__path"]
        constraints = [models.UniqueConstraint(fields=["year", "kind", "org_unit"], name="favour_list_key")]

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class FavourEntry(models.Model):
    """One employee on a list as drawn: the names and units are copied, so a frozen list reads the
    same years later whatever happens to the employee's record."""

    favour_list = models.ForeignKey(FavourList, verbose_name="名单", on_delete=models.CASCADE, related_name="entries")
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="+")
    employee_no = models.CharField("工号", max_length=32)
    name = models.CharField("姓名", max_length=50)
    org_unit = models.CharField("单位", max_length=500)
    track = models.CharField("岗位序列", max_length=10)
    rank = models.CharField("12月31日职级", max_length=10)
    avg = models.DecimalField("年度平均分", max_digits=6, decimal_places=2, null=True)
    bonus = models.DecimalField("职级加分", max_digits=6, decimal_places=2, null=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True)
    position = models.PositiveIntegerField("名次", null=True)
    excluded = models.CharField("排除原因", max_length=50, blank=True, default="")
    line = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "名单人员"
        verbose_name_plural = "名单人员"
        ordering = ["favour_list", "line"]
        # The list's page reads a page of each part in order and counts each part: a city's list
        # holds tens of thousands, so each part has its own index (no sort, counts from the index).
        indexes = [
            models.Index(fields=["favour_list", "line"], condition=models.Q(excluded=""), name="favour_ranked_line"),
            models.Index(fields=["favour_list", "line"], condition=~models.Q(excluded=""), name="favour_excluded_line"),
        ]
