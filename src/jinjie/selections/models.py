"""竞聘上岗 (SPEC 4): a selection, its posts, applications, the score sheets of its stages,
inspections and the decision — one dossier (纪实).

What moves is `Selection.state` (the state machine in workflow.py, every change logged in
`SelectionTransition`) and an application's review; everything else is history and append-only
(the database refuses UPDATE and DELETE): a score entered twice is two entries, the latest counts,
and an entry after its stage was locked is a correction that carries its reason.
"""

from django.conf import settings
from django.db import models

from jinjie.core.append_only import AppendOnlyModel


class SelectionState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "报名中"
    REVIEW = "review", "资格审查"
    WRITTEN = "written", "笔试"
    SPEECH = "speech", "演讲答辩"
    DEMOCRATIC = "democratic", "民主测评"
    RANKED = "ranked", "排名"
    INSPECTION = "inspection", "考察"
    DECIDED = "decided", "决定"
    NOTICE = "notice", "公示"
    APPOINTED = "appointed", "任职"
    CANCELLED = "cancelled", "已终止"


class Selection(models.Model):
    """One 竞聘: a posting of one unit with one or more posts, its eligibility criteria (data, like a
    rule book's) and its scoring scheme (rules.selection.Scheme as JSON)."""

    code = models.CharField("竞聘编号", max_length=20, unique=True)
    title = models.CharField("名称", max_length=200)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("公告", blank=True, default="")
    deadline = models.DateField("报名截止日期")
    criteria = models.JSONField("报名条件", default=list)
    scheme = models.JSONField("计分办法", default=dict)
    notice_days = models.PositiveSmallIntegerField("任前公示工作日数", default=5)
    state = models.CharField("状态", max_length=12, choices=SelectionState.choices, default=SelectionState.DRAFT)
    published_on = models.DateField("发布日期", null=True, blank=True)
    notice = models.ForeignKey(
        "approvals.Notice", verbose_name="任前公示", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "竞聘"
        verbose_name_plural = "竞聘"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Post(models.Model):
    """A post offered (客服部主任 …) with its number of places *n*. Edited only while in draft."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.CASCADE, related_name="posts")
    # The title becomes the appointment proposal's to_rank and the notice's 拟任职务 (50 characters).
    title = models.CharField("职务", max_length=50)
    places = models.PositiveSmallIntegerField("职数", default=1)
    duties = models.TextField("岗位职责", blank=True, default="")
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "竞聘职位"
        verbose_name_plural = "竞聘职位"
        ordering = ["selection", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "title"], name="selection_post_title_unique")]

    def __str__(self) -> str:
        return self.title


class SelectionTransition(AppendOnlyModel):
    """Every change of a selection's state, with who made it and why (the dossier's spine)."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="transitions")
    event = models.CharField("事件", max_length=20)
    from_state = models.CharField("原状态", max_length=12)
    to_state = models.CharField("新状态", max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=1000, blank=True, default="")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "竞聘进程"
        verbose_name_plural = "竞聘进程"
        ordering = ["selection", "id"]


class Via(models.TextChoices):
    SELF = "self", "个人报名"
    RECOMMENDED = "recommended", "组织推荐"


class Review(models.TextChoices):
    PENDING = "pending", "待审查"
    CONFIRMED = "confirmed", "审查通过"
    REFUSED = "refused", "审查未通过"


class Application(models.Model):
    """An employee's application for one post. Withdrawn until the deadline; the automatic check
    is frozen when 报名 closes (`check_result`, `eligible`), then HR confirms or refuses it (`review`).
    Every change is also an ApplicationEvent."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="applications")
    post = models.ForeignKey(Post, verbose_name="职位", on_delete=models.PROTECT, related_name="applications")
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="+")
    via = models.CharField("报名方式", max_length=12, choices=Via.choices, default=Via.SELF)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名操作人", on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField("报名时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    check_result = models.JSONField("截止日自动核对", default=list, blank=True)
    eligible = models.BooleanField("符合报名条件", null=True, blank=True)
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)
    review = models.CharField("资格审查", max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.CharField("审查意见", max_length=1000, blank=True, default="")

    class Meta:
        verbose_name = "竞聘报名"
        verbose_name_plural = "竞聘报名"
        ordering = ["selection", "post", "id"]
        constraints = [
            # "an employee applies for one post" (SPEC 4); a withdrawn application stays as history.
            models.UniqueConstraint(
                fields=["selection", "employee"], condition=models.Q(withdrawn_at__isnull=True),
                name="one_application_per_employee_selection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.selection_id} {self.employee_id} {self.post_id}"


APPLICATION_EVENTS = {
    "apply": "报名", "withdraw": "撤回", "check": "截止日核对", "confirm": "审查通过", "refuse": "审查未通过", "exception": "破格",
}


class ApplicationEvent(AppendOnlyModel):
    """What happened to an application: applied, withdrew, checked at the deadline, confirmed,
    refused, admitted as an exception (破格) — by whom, with the reason."""

    application = models.ForeignKey(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="events")
    event = models.CharField("事件", max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=2000, blank=True, default="")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "报名记录"
        verbose_name_plural = "报名记录"
        ordering = ["application", "id"]


class Attachment(AppendOnlyModel):
    """A file filed with the dossier (a 破格 justification): stored under MEDIA_ROOT with a random
    name, read back only by those who may read the dossier."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"


class ExceptionalAdmission(AppendOnlyModel):
    """破格: HR admits an applicant who fails one criterion, with a written reason and a file."""

    application = models.OneToOneField(
        Application, verbose_name="报名", on_delete=models.PROTECT, related_name="exception"
    )
    criterion = models.CharField("破格条件", max_length=100)
    criterion_label = models.CharField("条件名称", max_length=200)
    reason = models.TextField("破格理由")
    attachment = models.ForeignKey(Attachment, verbose_name="附件", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "破格"
        verbose_name_plural = "破格"


class Judge(AppendOnlyModel):
    """A judge (评委) of the 演讲答辩, named by HR."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="指定人", on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        ordering = ["selection", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "user"], name="selection_judge_unique")]


class Recusal(AppendOnlyModel):
    """回避: a judge related to a candidate may not score them (declared by HR)."""

    selection = models.ForeignKey(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="recusals")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField("回避原因", max_length=500)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "评委回避"
        verbose_name_plural = "评委回避"
        constraints = [models.UniqueConstraint(fields=["judge", "application"], name="recusal_unique")]


class Stage(models.TextChoices):
    WRITTEN = "written", "笔试"
    SPEECH = "speech", "演讲答辩"
    DEMOCRATIC = "democratic", "民主测评"


class Source(models.TextChoices):
    FORM = "form", "页面录入"
    IMPORT = "import", "文件导入"
    API = "api", "接口"
    JUDGE = "judge", "评委评分表"


class ScoreEntry(AppendOnlyModel):
    """One score: a 笔试 score, a judge's 演讲答辩 mark (judge set), or a final 演讲答辩/民主测评
    score given without judges' sheets or ballots. The latest entry per (application, stage,
    judge) counts; one entered after its stage was locked is a correction with its reason."""

    application = models.ForeignKey(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="scores")
    stage = models.CharField("环节", max_length=12, choices=Stage.choices)
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评委", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField("成绩", max_digits=5, decimal_places=2)
    correction = models.BooleanField("更正", default=False)
    reason = models.CharField("更正理由", max_length=1000, blank=True, default="")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.FORM)
    # Empty for a file imported on the command line (`jinjie import`, run by the operator).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "成绩记录"
        verbose_name_plural = "成绩记录"
        ordering = ["application", "stage", "id"]
        indexes = [models.Index(fields=["application", "stage"])]


class BallotEntry(AppendOnlyModel):
    """民主测评 ballot counts of one candidate: counts only, never a ballot per voter."""

    application = models.ForeignKey(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="ballots")
    excellent = models.PositiveIntegerField("优秀")
    competent = models.PositiveIntegerField("称职")
    basic = models.PositiveIntegerField("基本称职")
    incompetent = models.PositiveIntegerField("不称职")
    correction = models.BooleanField("更正", default=False)
    reason = models.CharField("更正理由", max_length=1000, blank=True, default="")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.FORM)
    # Empty for a file imported on the command line (`jinjie import`, run by the operator).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "民主测评票数"
        verbose_name_plural = "民主测评票数"
        ordering = ["application", "id"]


class Conclusion(models.TextChoices):
    PASS = "合格", "合格"
    FAIL = "不合格", "不合格"


class Inspection(AppendOnlyModel):
    """考察 of one candidate: inspectors, date, findings, conclusion. The latest one counts."""

    application = models.ForeignKey(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="inspections")
    inspectors = models.CharField("考察组成员", max_length=300)
    date = models.DateField("考察日期")
    findings = models.TextField("考察情况")
    conclusion = models.CharField("考察结论", max_length=4, choices=Conclusion.choices)
    correction = models.BooleanField("更正", default=False)
    reason = models.CharField("更正理由", max_length=1000, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "考察"
        verbose_name_plural = "考察"
        ordering = ["application", "id"]


class Decision(AppendOnlyModel):
    """The leader's decision (决定): who is appointed to which post, with the ranking it stood on."""

    selection = models.OneToOneField(Selection, verbose_name="竞聘", on_delete=models.PROTECT, related_name="decision")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("说明", blank=True, default="")
    ranking = models.JSONField("决定时的排名")
    decided_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "任用决定"
        verbose_name_plural = "任用决定"


class Appointee(AppendOnlyModel):
    """One person the decision appoints, and the proposal that takes it through the notice."""

    decision = models.ForeignKey(Decision, verbose_name="决定", on_delete=models.PROTECT, related_name="appointees")
    application = models.OneToOneField(Application, verbose_name="报名", on_delete=models.PROTECT, related_name="appointee")
    post = models.ForeignKey(Post, verbose_name="职位", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("名次")
    proposed = models.BooleanField("按名次推荐", default=True)
    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="任职建议", on_delete=models.PROTECT, related_name="appointee"
    )

    class Meta:
        verbose_name = "拟任人选"
        verbose_name_plural = "拟任人选"
        ordering = ["decision", "post", "position"]
