"""Monthly assessment scores (月度绩效考核) and ability scores (综合能力测评)."""

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
