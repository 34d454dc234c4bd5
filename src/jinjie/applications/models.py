"""Application rounds (申报批次) and applications (申报) of 专卖管理员 (SPEC 3.1).

An application's own states end at the review: submitted › withdrawn | checked | ineligible ›
reviewed | rejected. A reviewed application has ONE `evaluations.Proposal` (kind monopoly) that
travels the route of the monopoly rule book; what happens to it then (in the route, rejected,
granted) is read from the proposal (applications.selectors.status_of), never copied here.

The result of the check at closing is frozen on the application (`checks`, `manual_items`,
`rulebook`): each condition with required, actual and pass/fail as they stood, whatever is
imported later. Every change of state is logged in ApplicationTransition (append-only).
"""

from django.conf import settings
from django.db import models

from jinjie.core.append_only import AppendOnlyModel
from jinjie.rules.ladder import MONOPOLY_LEVELS

LEVEL_CHOICES = [(level, level) for level in MONOPOLY_LEVELS]


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "已申报"
    WITHDRAWN = "withdrawn", "已撤回"
    CHECKED = "checked", "资格审查通过"
    INELIGIBLE = "ineligible", "资格审查未通过"
    REVIEWED = "reviewed", "审核通过"
    REJECTED = "rejected", "未通过"


class ApplicationRound(models.Model):
    """A window in which the 专卖管理员 of a subtree apply for the levels it opens.

    The window is [opens, closes]; the conditions are checked at `check_date` (default: closes).
    Closing (by HR, early or not, or by `jinjie apply-due` the day after `closes`) checks every
    application again at the check date and freezes the result; `closed_at` says it was done.
    """

    title = models.CharField("批次名称", max_length=100)
    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    levels = models.JSONField("开放申报的等级", default=list)
    opens = models.DateField("申报开始")
    closes = models.DateField("申报截止(含)")
    check_date = models.DateField("资格审查基准日")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_on = models.DateField("截止办理日期", null=True, blank=True)
    closed_at = models.DateTimeField("资格审查时间", null=True, blank=True)
    # Empty when `jinjie apply-due` closed it after its window.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="截止办理人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-opens", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lte=models.F("closes")), name="round_window_in_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    round = models.ForeignKey(ApplicationRound, verbose_name="申报批次", on_delete=models.PROTECT, related_name="applications")
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="applications")
    level = models.CharField("申报等级", max_length=10, choices=LEVEL_CHOICES)
    state = models.CharField("状态", max_length=12, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField("申报时间", auto_now_add=True)
    # [{code, label, required, actual, ok}]: as checked when applying, then frozen at closing.
    checks = models.JSONField("资格审查结果", default=list)
    checked_at = models.DateTimeField("资格审查时间", null=True, blank=True)
    rulebook = models.ForeignKey(
        "rulebooks.RuleBook", verbose_name="评定标准版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The manual items of the level in that rule book, [{code, label}], and the reviewer's marks
    # on them, [{code, label, ok}] (符合 / 不符合).
    manual_items = models.JSONField("评审认定项", default=list)
    marks = models.JSONField("评审认定结果", default=list)
    review_comment = models.TextField("审核意见", blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="审批建议", null=True, blank=True, on_delete=models.PROTECT,
        related_name="application",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专卖管理员等级申报"
        verbose_name_plural = "专卖管理员等级申报"
        ordering = ["round", "employee__employee_no", "id"]
        constraints = [
            # One application per employee per round (SPEC 3.1); a withdrawn one stays as history
            # and does not count, so an employee who withdrew may apply again inside the window.
            models.UniqueConstraint(
                fields=["round", "employee"], condition=~models.Q(state="withdrawn"),
                name="one_application_per_employee_per_round",
            ),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.level}（{self.get_state_display()}）"


class ApplicationTransition(AppendOnlyModel):
    """Every change of an application's own state, with the event and who caused it."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="transitions"
    )
    event = models.CharField("事件", max_length=20)
    from_state = models.CharField("原状态", max_length=12, blank=True, default="")
    to_state = models.CharField("新状态", max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=1000, blank=True, default="")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报状态变更"
        verbose_name_plural = "申报状态变更"
        ordering = ["application", "id"]


class QualifiedSnapshot(models.Model):
    """A round's 合格人员名单 as computed over its whole subtree at `computed_at` (SPEC 3.1).

    Checking every 专卖管理员 of a city takes seconds, so a big round's list is computed by a
    background job and its page reads the last result, saying when it was computed (the facts may
    have changed since: HR recomputes). Who has an application standing is not kept here: the page
    reads it live, so applying or withdrawing shows at once. One snapshot per round (the last).
    """

    round = models.OneToOneField(
        ApplicationRound, verbose_name="申报批次", on_delete=models.CASCADE, related_name="qualified_snapshot"
    )
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计算人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rulebook = models.ForeignKey(
        "rulebooks.RuleBook", verbose_name="评定标准版本", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "合格人员名单计算结果"
        verbose_name_plural = "合格人员名单计算结果"

    def __str__(self) -> str:
        return f"{self.round_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class QualifiedCandidate(models.Model):
    """One active 专卖管理员 of the round's subtree as assessed for the snapshot: their next level
    and whether every automatic condition (and gate) was met at the check date."""

    snapshot = models.ForeignKey(
        QualifiedSnapshot, verbose_name="计算结果", on_delete=models.CASCADE, related_name="candidates"
    )
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.CASCADE, related_name="+")
    level = models.CharField("可申报等级", max_length=10, blank=True, default="")
    ok = models.BooleanField("条件全部满足")

    class Meta:
        verbose_name = "合格人员名单人员"
        verbose_name_plural = "合格人员名单人员"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "employee"], name="qualified_candidate_once"),
        ]
