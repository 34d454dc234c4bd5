"""The approval workflow's records (SPEC 2.4): steps, state changes, public notices, objections.

Everything here is history, so every table is append-only (the database refuses UPDATE and
DELETE; see jinjie.core.append_only). The moving part is `evaluations.Proposal.state` and
`step_index`, changed only by approvals.services under a row lock, and every change of it is
written here in the same transaction (`ProposalTransition`), every decision as an `ApprovalStep`.
"""

from django.conf import settings
from django.db import models

from jinjie.core.append_only import AppendOnlyModel
from jinjie.rules.ladder import ROUTE_STEP_LABELS

STEP_CHOICES = list(ROUTE_STEP_LABELS.items())


class Decision(models.TextChoices):
    APPROVE = "approve", "同意"
    REJECT = "reject", "不同意"


class DayKind(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class Meeting(AppendOnlyModel):
    """A meeting of the committee (考评委员会会议) whose decisions the steps it names record: the
    晋级审批表 prints it for the leaders who sign. Entered with the decision, never changed."""

    org_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="委员会所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("会议日期")
    attendees = models.TextField("出席人员", help_text="出席会议的委员，按会议纪要填写")
    minutes_no = models.CharField("会议纪要编号", max_length=50, help_text="例如：临烟考评〔2026〕3号")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "考评委员会会议"
        verbose_name_plural = "考评委员会会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.minutes_no}"


class ApprovalStep(AppendOnlyModel):
    """One decided step of a proposal's route. Never edited: a later decision is a new row.

    `actor` is empty for the steps the system records itself (a notice that ran out with no
    objection standing). `sequence` numbers a proposal's steps 1, 2, …; it is unique per proposal,
    so two decisions racing for the same slot cannot both be stored, whatever the database.
    """

    proposal = models.ForeignKey(
        "evaluations.Proposal", verbose_name="建议", on_delete=models.PROTECT, related_name="approval_steps"
    )
    step = models.CharField("环节", max_length=20, choices=STEP_CHOICES)
    sequence = models.PositiveSmallIntegerField("序号")
    decision = models.CharField("意见", max_length=10, choices=Decision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField("审批人角色", max_length=20, blank=True, default="")
    comment = models.TextField("意见说明", blank=True, default="")
    decided_at = models.DateTimeField("时间", auto_now_add=True)
    # The committee's decisions may name the meeting that took them (the 晋级审批表 prints it).
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["proposal", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "sequence"], name="approval_step_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.proposal_id} {self.sequence} {self.get_step_display()} {self.get_decision_display()}"


class ProposalTransition(AppendOnlyModel):
    """Every change of a proposal's state, with the event that caused it (the audit trail)."""

    proposal = models.ForeignKey(
        "evaluations.Proposal", verbose_name="建议", on_delete=models.PROTECT, related_name="transitions"
    )
    event = models.CharField("事件", max_length=20)
    from_state = models.CharField("原状态", max_length=12)
    to_state = models.CharField("新状态", max_length=12)
    step_index = models.PositiveSmallIntegerField("当时环节序号", default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=1000, blank=True, default="")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["proposal", "id"]


class Notice(AppendOnlyModel):
    """A published public notice (公示). A published notice is a public document: never changed."""

    org_unit = models.ForeignKey("org.OrgUnit", verbose_name="公示单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    published_on = models.DateField("发布日期")
    start_date = models.DateField("公示开始")
    end_date = models.DateField("公示结束(含)")
    days = models.PositiveSmallIntegerField("公示天数")
    day_kind = models.CharField("天数口径", max_length=10, choices=DayKind.choices)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeItem(AppendOnlyModel):
    """One proposal on a notice, with what the notice said about it (a snapshot, as printed)."""

    notice = models.ForeignKey(Notice, verbose_name="公示", on_delete=models.PROTECT, related_name="items")
    # One notice per proposal: a dismissed objection sends it back to the same notice.
    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="建议", on_delete=models.PROTECT, related_name="notice_item"
    )
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("姓名", max_length=50)
    unit_name = models.CharField("所属单位", max_length=100)
    from_rank = models.CharField("原职级", max_length=50)
    to_rank = models.CharField("拟任职级", max_length=50)
    move_label = models.CharField("变动类别", max_length=20)

    class Meta:
        verbose_name = "公示事项"
        verbose_name_plural = "公示事项"
        ordering = ["notice", "position"]


class Objection(AppendOnlyModel):
    """An objection (异议) filed during a notice. Open while it has no resolution.

    The filer's identity is shown only through approvals.selectors.objections_for, which hides it
    from everyone but the filer, the committee and the discipline officer (SPEC 2.4).
    """

    notice_item = models.ForeignKey(NoticeItem, verbose_name="公示事项", on_delete=models.PROTECT, related_name="objections")
    proposal = models.ForeignKey(
        "evaluations.Proposal", verbose_name="建议", on_delete=models.PROTECT, related_name="objections"
    )
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("异议内容")
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["proposal", "id"]


class ObjectionResolution(AppendOnlyModel):
    """The committee's ruling on one objection: upheld (成立) or dismissed (不成立)."""

    objection = models.OneToOneField(Objection, verbose_name="异议", on_delete=models.PROTECT, related_name="resolution")
    upheld = models.BooleanField("异议成立")
    reason = models.TextField("处理意见")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField("处理时间", auto_now_add=True)

    class Meta:
        verbose_name = "异议处理"
        verbose_name_plural = "异议处理"


class DemotionLevel(models.TextChoices):
    GRADE = "grade", "降档"
    LEVEL = "level", "降级"


class ImmediateDemotion(AppendOnlyModel):
    """The violation behind an immediate demotion (即时降档/降级). One demotion per violation."""

    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="建议", on_delete=models.PROTECT, related_name="immediate_demotion"
    )
    violation = models.OneToOneField(
        "people.Violation", verbose_name="违规记录", on_delete=models.PROTECT, related_name="immediate_demotion"
    )
    to_level = models.CharField("降档/降级", max_length=5, choices=DemotionLevel.choices)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "即时降档/降级"
        verbose_name_plural = "即时降档/降级"


class SkipFallback(AppendOnlyModel):
    """A rejected skip (跳档/跳级) replaced by the ordinary one-step proposal (SPEC 2.4)."""

    skip_proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="原跳档/跳级建议", on_delete=models.PROTECT, related_name="fallback"
    )
    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="改按一步晋升的建议", on_delete=models.PROTECT, related_name="fallback_of"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "跳档/跳级改按一步晋升"
        verbose_name_plural = "跳档/跳级改按一步晋升"


class ReassignmentOutcome(models.TextChoices):
    NEW_POST = "new_post", "调整到新岗位"
    OTHER = "other", "其他处理"


class ReassignmentClosure(AppendOnlyModel):
    """HR's decision on a reassignment case (调整岗位, SPEC 2.3: demoted to 见习 twice in a row),
    which closes it. One per case; the case and its decision stay readable."""

    proposal = models.OneToOneField(
        "evaluations.Proposal", verbose_name="降级建议", on_delete=models.PROTECT, related_name="reassignment_closure"
    )
    outcome = models.CharField("处理结果", max_length=10, choices=ReassignmentOutcome.choices)
    new_post = models.CharField("新岗位", max_length=100, blank=True, default="", help_text="调整到新岗位时填写")
    decided_on = models.DateField("决定日期", help_text="人事劳资作出调整决定的日期")
    comment = models.TextField("说明", blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("办结时间", auto_now_add=True)

    class Meta:
        verbose_name = "调整岗位办理"
        verbose_name_plural = "调整岗位办理"

    def __str__(self) -> str:
        return f"#{self.proposal_id} {self.get_outcome_display()} {self.new_post}".strip()
