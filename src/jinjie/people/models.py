"""Employees and the records the evaluation reads (SPEC 2.1, 3, 6)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from jinjie.core.append_only import AppendOnlyModel, AppendOnlyQuerySet
from jinjie.rules.ladder import MONOPOLY_LEVELS, RANKS, VOCATIONAL_LEVELS

from .idcard import id_number_error, mask_id_number


class Track(models.TextChoices):
    CUSTOMER_MANAGER = "客户经理", "客户经理"
    MARKET_ADMINISTRATOR = "市场管理员", "市场管理员"
    MONOPOLY_ADMINISTRATOR = "专卖管理员", "专卖管理员"


class Status(models.TextChoices):
    ACTIVE = "在岗", "在岗"
    INACTIVE = "离岗", "离岗"


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


EDUCATION_CHOICES = [(e, e) for e in ("初中及以下", "高中", "中专", "职高", "技校", "大专", "本科", "硕士", "博士")]
# The vocabulary is the rule engine's (rules/ladder.py); the models only offer it as choices.
VOCATIONAL_CHOICES = [(v, v) for v in VOCATIONAL_LEVELS]
LADDER_RANKS = RANKS
RANK_CHOICES = [(r, r) for r in LADDER_RANKS + MONOPOLY_LEVELS]



def validate_id_number(value: str) -> None:
    if value and (error := id_number_error(value)):
        raise ValidationError(error)


class Employee(models.Model):
    employee_no = models.CharField("工号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="employees")
    track = models.CharField("岗位序列", max_length=10, choices=Track.choices)
    role_start_date = models.DateField("本岗位起始日期")
    hire_date = models.DateField("入职日期", null=True, blank=True)
    education = models.CharField("学历", max_length=10, choices=EDUCATION_CHOICES, blank=True, default="")
    vocational_level = models.CharField("职业技能等级", max_length=4, choices=VOCATIONAL_CHOICES, blank=True, default="")
    pay_grade = models.PositiveSmallIntegerField("工资档次", null=True, blank=True)
    current_rank = models.CharField("当前职级", max_length=10, choices=RANK_CHOICES, default="见习")
    rank_since = models.DateField("现职级起始日期", null=True, blank=True)
    law_cert_valid_until = models.DateField("执法资格有效期至", null=True, blank=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True, default="")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True, default="", validators=[validate_id_number])
    phone = models.CharField("手机号", max_length=20, blank=True, default="")
    status = models.CharField("状态", max_length=4, choices=Status.choices, default=Status.ACTIVE)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "员工"
        verbose_name_plural = "员工"
        ordering = ["employee_no"]
        indexes = [models.Index(fields=["org_unit", "track", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_no} {self.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class TrainingKind(models.TextChoices):
    TRAINING = "培训", "培训"
    EXAM = "考试", "考试"
    LEVEL_EXAM = "等级考试", "等级考试"


class TrainingRecord(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.CASCADE, related_name="training")
    date = models.DateField("日期")
    kind = models.CharField("类别", max_length=4, choices=TrainingKind.choices)
    course = models.CharField("课程", max_length=200, blank=True, default="")
    level = models.CharField("等级", max_length=10, blank=True, default="")
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField("是否合格", null=True, blank=True)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        constraints = [
            models.UniqueConstraint(fields=["employee", "date", "kind", "course", "level"], name="training_key"),
        ]


class Severity(models.TextChoices):
    MINOR = "一般", "一般"
    SERIOUS = "较重", "较重"
    GRAVE = "严重", "严重"


class Violation(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.CASCADE, related_name="violations")
    date = models.DateField("日期")
    severity = models.CharField("情节", max_length=2, choices=Severity.choices)
    description = models.CharField("说明", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "违规记录"
        verbose_name_plural = "违规记录"
        constraints = [models.UniqueConstraint(fields=["employee", "date", "description"], name="violation_key")]


class Contribution(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.CASCADE, related_name="contributions")
    date = models.DateField("日期")
    description = models.CharField("说明", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "突出贡献"
        verbose_name_plural = "突出贡献"
        constraints = [models.UniqueConstraint(fields=["employee", "date", "description"], name="contribution_key")]


class AnnualKind(models.TextChoices):
    SHUANGNENG = "专卖双能", "专卖双能"
    ANNUAL = "年度考核", "年度考核"


# 专卖双能 is rated 不合格 < 合格 < 良好 < 优秀 (SPEC 3); the annual appraisal uses the civil-service words.
ANNUAL_RATINGS = {
    AnnualKind.SHUANGNENG: ("不合格", "合格", "良好", "优秀"),
    AnnualKind.ANNUAL: ("不称职", "基本称职", "称职", "优秀"),
}


class AnnualRating(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.CASCADE, related_name="annual_ratings")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=4, choices=AnnualKind.choices)
    rating = models.CharField("等次", max_length=4)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        constraints = [models.UniqueConstraint(fields=["employee", "year", "kind"], name="annual_key")]


class JournalLevel(models.TextChoices):
    CITY = "市级", "市级"
    PROVINCE = "省级", "省级"
    NATIONAL = "国家级", "国家级"


class AuthorRole(models.TextChoices):
    SOLE = "独著", "独著"
    FIRST = "第一作者", "第一作者"
    OTHER = "其他", "其他"


class Publication(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.CASCADE, related_name="publications")
    date = models.DateField("日期")
    title = models.CharField("题目", max_length=300)
    journal_level = models.CharField("刊物级别", max_length=4, choices=JournalLevel.choices)
    author_role = models.CharField("署名", max_length=4, choices=AuthorRole.choices)
    journal = models.CharField("刊物", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "论文"
        verbose_name_plural = "论文"
        constraints = [models.UniqueConstraint(fields=["employee", "title"], name="publication_key")]


class InForceQualifications(AppendOnlyQuerySet):
    def in_force(self):
        # A corrected grant stays as history; the correction (a newer row) is what holds.
        return self.filter(correction__isnull=True)


class InForceManager(models.Manager.from_queryset(InForceQualifications)):
    def get_queryset(self):
        return super().get_queryset().in_force()


class Qualification(AppendOnlyModel):
    """A monopoly-administrator level granted (初级专卖管理员 …) and since when. Insert-only.

    A granted level is never edited (SPEC 3.1: append-only, like the rank history). A wrong
    granted_date is corrected by a new row that names the row it corrects and why; the corrected
    row stays as it was. `objects` reads the rows in force (those no later row corrects), so every
    reader — the monopoly checks, the imports, the exports, the pages — sees one row per level;
    `history` reads them all.
    """

    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.PROTECT, related_name="qualifications")
    level = models.CharField("等级", max_length=10, choices=[(m, m) for m in MONOPOLY_LEVELS])
    granted_date = models.DateField("取得日期")
    corrects = models.OneToOneField(
        "self", verbose_name="更正的记录", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    reason = models.CharField("更正原因", max_length=300, blank=True, default="")
    # "proposal:123" when granted by an application's proposal taking effect; empty for imports.
    source_ref = models.CharField("来源单据", max_length=50, blank=True, default="")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InForceManager()
    history = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "专卖管理员资格"
        verbose_name_plural = "专卖管理员资格"
        base_manager_name = "history"
        constraints = [
            # One grant per level; its corrections hang off it one after another (corrects is unique).
            models.UniqueConstraint(
                fields=["employee", "level"], condition=models.Q(corrects__isnull=True), name="qualification_key"
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(reason=""), name="qualification_correction_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.granted_date}"


class RankChangeSource(models.TextChoices):
    IMPORT = "import", "导入"
    PROPOSAL = "proposal", "测评晋升/降级"
    IMMEDIATE = "immediate", "即时降档/降级"
    GRANT = "grant", "资格授予"


class RankChange(AppendOnlyModel):
    """One change of an employee's rank. Insert-only: the database refuses UPDATE and DELETE."""

    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.PROTECT, related_name="rank_changes")
    effective_date = models.DateField("生效日期")
    from_rank = models.CharField("原职级", max_length=10, blank=True, default="")
    to_rank = models.CharField("新职级", max_length=10)
    reason = models.CharField("原因", max_length=500, blank=True, default="")
    source = models.CharField("来源", max_length=10, choices=RankChangeSource.choices, default=RankChangeSource.IMPORT)
    # "proposal:123" etc.: a reference, not a foreign key, so people/ does not depend on approvals/.
    source_ref = models.CharField("来源单据", max_length=50, blank=True, default="")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "职级变动"
        verbose_name_plural = "职级变动"
        ordering = ["employee", "effective_date", "id"]
        constraints = [models.UniqueConstraint(fields=["employee", "effective_date"], name="rank_change_key")]

    def __str__(self) -> str:
        return f"{self.effective_date} {self.from_rank or '—'} → {self.to_rank}"


class RecordRevision(AppendOnlyModel):
    """The values an update replaced (SPEC 6: "an update keeps the replaced values in the history")."""

    kind = models.CharField("数据类别", max_length=20)
    record_key = models.CharField("记录键", max_length=300)
    employee = models.ForeignKey(Employee, verbose_name="员工", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_values = models.JSONField("原值")
    new_values = models.JSONField("新值")
    source = models.CharField("来源", max_length=300, blank=True, default="")
    changed_at = models.DateTimeField("时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "数据修改历史"
        verbose_name_plural = "数据修改历史"
        indexes = [models.Index(fields=["kind", "record_key"])]


class PiiAccessLog(AppendOnlyModel):
    """Who read a full ID number, when (身份证号 is shown masked everywhere else)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.PROTECT, related_name="+")
    field = models.CharField("字段", max_length=30, default="id_number")
    purpose = models.CharField("用途", max_length=200, blank=True, default="")
    accessed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "敏感信息查看记录"
        verbose_name_plural = "敏感信息查看记录"


class PostAssignment(AppendOnlyModel):
    """A management post taken up (竞聘任职, SPEC 4): post, unit, start date. Insert-only.

    While an employee holds a management post they leave the quarterly ladder evaluation (their
    ladder rank is kept) and may not apply for a 专卖管理员 level. Leaving the post is a
    PostRelease of this row, never an edit of it.
    """

    employee = models.ForeignKey(Employee, verbose_name="员工", on_delete=models.PROTECT, related_name="posts")
    post = models.CharField("职务", max_length=100)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="任职单位", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField("任职日期")
    # "selection:12" / "proposal:345" …: a reference, not a foreign key, so people/ depends on no channel.
    source_ref = models.CharField("来源单据", max_length=50, blank=True, default="")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "管理岗位任职"
        verbose_name_plural = "管理岗位任职"
        ordering = ["employee", "start_date", "id"]


class PostRelease(AppendOnlyModel):
    """The end of a management post (免职/调离): the assignment stays as it was."""

    assignment = models.OneToOneField(
        PostAssignment, verbose_name="任职记录", on_delete=models.PROTECT, related_name="release"
    )
    end_date = models.DateField("免职日期")
    reason = models.CharField("原因", max_length=300)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "管理岗位免职"
        verbose_name_plural = "管理岗位免职"
