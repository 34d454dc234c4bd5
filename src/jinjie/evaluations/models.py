"""Quarterly evaluation runs and the proposals they produce (SPEC 2.3).

Every employee evaluated gets one Proposal per period, holds and incompletes included, so the
period's counts and the proposals export are one query. The workflow that takes a proposal through
its route (approvals/) moves `state`; a re-run replaces only proposals still in `draft`.
"""

from django.conf import settings
from django.db import models


class Move(models.TextChoices):
    GRADE_UP = "grade_up", "晋档"
    LEVEL_UP = "level_up", "晋级"
    SKIP_GRADE = "skip_grade", "跳档"
    SKIP_LEVEL = "skip_level", "跳级"
    GRADE_DOWN = "grade_down", "降档"
    LEVEL_DOWN = "level_down", "降级"
    HOLD = "hold", "保持"
    INCOMPLETE = "incomplete", "数据不全"
    # The other channels' subjects on the same workflow: a 专卖管理员 level granted (申报), a
    # management post taken up (竞聘).
    GRANT = "grant", "取得等级"
    APPOINT = "appoint", "任职"


class ProposalKind(models.TextChoices):
    EVALUATION = "evaluation", "季度测评"
    IMMEDIATE = "immediate", "即时降档/降级"
    MONOPOLY = "monopoly", "专卖管理员等级申报"
    APPOINTMENT = "appointment", "竞聘任职"


class ProposalState(models.TextChoices):
    DRAFT = "draft", "待提交"
    NO_ACTION = "no_action", "无需审批"
    IN_REVIEW = "in_review", "审批中"
    ON_NOTICE = "on_notice", "公示中"
    HELD = "held", "异议处理中"
    APPROVED = "approved", "待生效"
    APPLIED = "applied", "已生效"
    REJECTED = "rejected", "未通过"
    SUPERSEDED = "superseded", "已替代"


class EvaluationRun(models.Model):
    period = models.CharField("测评期", max_length=6)
    org_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="范围", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rulebook = models.ForeignKey("rulebooks.RuleBook", verbose_name="评定标准", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    counts = models.JSONField("各类结果人数", default=dict, blank=True)
    # Employees whose proposal for the period had already entered review: left as they were.
    kept = models.PositiveIntegerField("审批中未重算人数", default=0)
    # Employees the engine could not be given (e.g. a stored rank that is not on the ladder):
    # [{"employee_no": …, "message": …}], so the committee sees them instead of silently missing them.
    problems = models.JSONField("无法测评的员工", default=list, blank=True)
    # Holders of a management post (竞聘任职, SPEC 4) left out of the evaluation, their ladder rank
    # kept: [{"employee_no": …, "post": …}] — "管理岗, 不参加测评".
    managers = models.JSONField("管理岗不参加测评的员工", default=list, blank=True)

    class Meta:
        verbose_name = "测评运行"
        verbose_name_plural = "测评运行"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.period} {self.org_unit or '全部'}"


class Proposal(models.Model):
    kind = models.CharField("类别", max_length=12, choices=ProposalKind.choices, default=ProposalKind.EVALUATION)
    # No index of its own (nor has rulebook below): nothing lists proposals by run or by rule book,
    # and each index is one more entry to write per proposal — 86,000 a quarter at 100,000
    # employees. Deleting a run or a rule book (PROTECT) scans instead; both are rare.
    run = models.ForeignKey(
        EvaluationRun, verbose_name="测评运行", null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals", db_index=False,
    )
    period = models.CharField("测评期", max_length=6, blank=True, default="")
    employee = models.ForeignKey("people.Employee", verbose_name="员工", on_delete=models.PROTECT, related_name="proposals")
    # A rank or a 专卖管理员 level; for an appointment, the post taken up (to_rank).
    from_rank = models.CharField("原职级", max_length=50)
    to_rank = models.CharField("建议职级", max_length=50)
    move = models.CharField("变动", max_length=12, choices=Move.choices)
    route = models.JSONField("审批路径", default=list, blank=True)
    reassign = models.BooleanField("建议调整岗位", default=False)
    reasons = models.JSONField("评定依据", default=list, blank=True)
    summary = models.CharField("结论", max_length=500, blank=True, default="")
    # The rule book the outcome was computed with; none for an appointment (its selection's criteria
    # are recorded with the selection).
    rulebook = models.ForeignKey(
        "rulebooks.RuleBook", verbose_name="评定标准版本", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )
    state = models.CharField("状态", max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT)
    step_index = models.PositiveSmallIntegerField("当前步骤", default=0)
    effective_date = models.DateField("生效日期", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "晋升/降级建议"
        verbose_name_plural = "晋升/降级建议"
        ordering = ["period", "employee_id"]
        constraints = [
            # One evaluation outcome per employee per period (SPEC 2.3); rejected/superseded ones
            # stay as history, which is why the condition excludes them.
            models.UniqueConstraint(
                fields=["employee", "period"],
                condition=models.Q(kind="evaluation") & ~models.Q(state__in=["superseded"]),
                name="one_open_proposal_per_employee_period",
            ),
        ]
        indexes = [
            # A list's count (共 N 条) and its counts per move read this index alone: kind and state
            # are filtered in it, not by reading each row (86,000 rows a quarter at 100,000 employees).
            models.Index(fields=["period", "move", "kind", "state"], name="proposal_period_move_kind"),
            # The decision queues (待我审批, 待发布公示): in review, at a step (route[step_index]), of a
            # kind, not one's own — decided in this index, without reading the rows (reasons ~1 KB);
            # the id at the end lets PostgreSQL answer "which proposals" from the index alone (待我审批
            # sorted by unit read 16,717 rows for their ids: 100–140 ms, 44 ms with it). Only the
            # proposals in review have entries: every query of it asks for them, and a quarter's
            # 86,000 new drafts and holds then write no entry here (nor in the next index).
            models.Index(
                fields=["state", "step_index", "kind", "employee", "route", "period", "id"], name="proposal_queue_step",
                condition=models.Q(state="in_review"),
            ),
            # 等待最久 first (updated_at, then the id: nothing between them, or a batch submitted at
            # one instant is sorted whole): the queue walks this index and stops at its first page.
            # The id is named: SQLite ends every index with the rowid, PostgreSQL does not (it read
            # all 16,345 entries of one submitted batch to sort them before taking eight).
            models.Index(
                fields=["state", "updated_at", "id"], name="proposal_waiting_order", condition=models.Q(state="in_review")
            ),
            # The drafts per period (工作台): counted from this index alone.
            models.Index(fields=["state", "period"], name="proposal_state_period"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.from_rank}→{self.to_rank} ({self.get_move_display()})"
