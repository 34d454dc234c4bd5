"""Rule books (评定标准) as versioned, effective-dated documents (SPEC 2.2, 2.4, 2.5, 3).

The document is the JSON that `jinjie.rules.book` parses and validates; the engine never reads
this table directly (evaluations/ hands it the parsed book).
"""

from django.conf import settings
from django.db import models


class BookKind(models.TextChoices):
    LADDER = "ladder", "客户经理/市场管理员职级标准"
    MONOPOLY = "monopoly", "专卖管理员等级申报条件"


class BookStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class RuleBook(models.Model):
    kind = models.CharField("类别", max_length=10, choices=BookKind.choices)
    # The unit whose subtree the book applies to (a 省公司 or a 市局(分局)); empty: the whole
    # installation (the defaults `jinjie init` loads). The most specific unit's book wins.
    org_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="适用单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("生效日期")
    status = models.CharField("状态", max_length=10, choices=BookStatus.choices, default=BookStatus.DRAFT)
    document = models.JSONField("内容")
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
        verbose_name = "评定标准"
        verbose_name_plural = "评定标准"
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="rulebook_version_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}({self.get_status_display()}, {self.effective_from} 起)"

    @property
    def scope_label(self) -> str:
        return self.org_unit.path if self.org_unit_id else "全部单位"
