"""Monthly assessment scores (月度绩效考核) and ability scores (综合能力测评)."""

from django.conf import settings
from django.db import models


class MonthlyScore(models.Model):
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.CASCADE, related_name="scores")
    month = models.CharField("月份", max_length=7, help_text="YYYY-MM")
    score = models.DecimalField("考核得分", max_digits=5, decimal_places=2)
    # Optional item scores from the assessment scheme (卷烟营销指标 …), by item name.
    items = models.JSONField("分项得分", default=dict, blank=True)

    class Meta:
        verbose_name = "月度考核"
        verbose_name_plural = "月度考核"
        constraints = [models.UniqueConstraint(fields=["employee", "month"], name="score_key")]
        indexes = [models.Index(fields=["month"])]


class AbilityScore(models.Model):
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.CASCADE, related_name="ability_scores")
    period = models.CharField("测评期", max_length=6, help_text="YYYYQn")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "综合能力测评"
        verbose_name_plural = "综合能力测评"
        constraints = [models.UniqueConstraint(fields=["employee", "period"], name="ability_key")]


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class AssessmentScheme(models.Model):
    """A track's monthly assessment scheme (考核方案, SPEC 5): versioned and effective-dated like the
    rule books. `items` is the document jinjie.rules.scheme parses: [{name, max, note}, …]."""

    track = models.CharField("岗位序列", max_length=10)
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("生效日期")
    status = models.CharField("状态", max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    items = models.JSONField("考核分项")
    note = models.CharField("说明", max_length=300, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["track", "-version"]
        constraints = [models.UniqueConstraint(fields=["track", "version"], name="scheme_version_unique")]

    def __str__(self) -> str:
        return f"{self.track}考核方案 v{self.version}({self.get_status_display()}, {self.effective_from} 起)"
