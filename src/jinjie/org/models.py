"""The org-unit tree and the people who log in (SPEC 1)."""

from django.contrib.auth.models import AbstractUser
from django.db import models

PATH_SEP = "/"


class OrgKind(models.TextChoices):
    PROVINCE = "province", "省公司"
    CITY = "city", "市局(分局)"
    COUNTY = "county", "县局·营销部"
    DEPARTMENT = "department", "部门"


class OrgUnit(models.Model):
    """A node of the org tree. `path` is the names from the root, joined by '/'.

    The path is stored (not computed) so that scoping is one indexed prefix filter, and so that
    import files can name units as SPEC 6 does ("某省公司/某市局/某县局").
    """

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices, default=OrgKind.COUNTY)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=500, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    # The unit's code in the bureau's own systems (SPEC 6 org_units 编码); optional, unique when given.
    code = models.CharField("编码", max_length=50, blank=True, default="")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unit_unique_name_under_parent"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="org_unit_unique_code_when_given"
            ),
        ]

    def __str__(self) -> str:
        return self.path

    def save(self, *args, **kwargs):
        # The path is a denormalised key, not domain flow: keeping it in step with name/parent here
        # is what makes every save safe. Renaming a unit re-paths its subtree (see org.services).
        old_path = self.path
        self.path = self.compute_path()
        self.depth = self.path.count(PATH_SEP)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A renamed or moved unit carries its subtree along; there are tens of units, not thousands.
            for child in self.children.all():
                child.save()

    def compute_path(self) -> str:
        return f"{self.parent.path}{PATH_SEP}{self.name}" if self.parent_id else self.name

    def contains(self, unit: "OrgUnit") -> bool:
        """Is `unit` this unit or one below it?"""
        return unit.path == self.path or unit.path.startswith(self.path + PATH_SEP)

    def subtree_filter(self, prefix: str = "") -> models.Q:
        """Q selecting rows (via `prefix`, e.g. 'org_unit__') in this unit or below it."""
        return models.Q(**{f"{prefix}path": self.path}) | models.Q(
            **{f"{prefix}path__startswith": self.path + PATH_SEP}
        )


class Role(models.TextChoices):
    HR = "hr", "人事劳资"
    ASSESSOR = "assessor", "督察考评中心"
    TRACK_REVIEWER = "track_reviewer", "序列审核(营销中心/专卖监督管理科)"
    COMMITTEE = "committee", "考评委员会"
    LEADER = "leader", "分局(公司)领导"
    DIRECTOR = "director", "局长(经理)"
    DISCIPLINE = "discipline", "纪检监察"
    EMPLOYEE = "employee", "员工"


class User(AbstractUser):
    """A login. Works inside one org subtree (`org_unit`); an employee login is tied to one employee."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所属单位(数据范围)", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    employee = models.OneToOneField(
        "people.Employee", verbose_name="对应员工", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    # For track reviewers: which track's proposals they confirm (营销中心 → 客户经理, 专卖监督管理科 → 市场管理员).
    track = models.CharField("审核序列", max_length=20, blank=True, default="")
    # A one-time password handed out by HR: the first login must set a new one before anything else.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return f"{self.get_full_name() or self.username}({self.get_role_display()})"
