"""The committee's meeting (考评委员会会议) that a decision may carry: when, who attended, the
minutes' number. The committee decides 晋级 in session (源文件: "经考评委员会评定/讨论决定"), and the
晋级审批表 the leaders sign prints the meeting beside the committee's opinion.

A MeetingRecord is what the caller says; `meeting_for_steps` checks it and writes one append-only
Meeting for the decided steps, inside the deciding transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jinjie.org import authority
from jinjie.org.models import User

from .models import ApprovalStep, Meeting
from .workflow import WorkflowError, step_label

__all__ = ["MEETING_STEPS", "MeetingRecord", "meeting_for_steps"]

# Only the committee sits in session; a leader or the director approves alone.
MEETING_STEPS = frozenset({"committee"})
ATTENDEES_MAX = 500
MINUTES_MAX = 50


@dataclass(frozen=True)
class MeetingRecord:
    held_on: date
    attendees: str
    minutes_no: str


def _checked(record: MeetingRecord, today: date) -> MeetingRecord:
    if not isinstance(record.held_on, date):
        raise WorkflowError("请填写会议日期")
    if record.held_on > today:
        raise WorkflowError(f"会议日期 {record.held_on} 晚于今天（{today}）")
    attendees = " ".join((record.attendees or "").split())
    minutes_no = (record.minutes_no or "").strip()
    if not attendees:
        raise WorkflowError("请填写出席会议的人员")
    if len(attendees) > ATTENDEES_MAX:
        raise WorkflowError(f"出席人员不能超过 {ATTENDEES_MAX} 字")
    if not minutes_no:
        raise WorkflowError("请填写会议纪要编号")
    if len(minutes_no) > MINUTES_MAX:
        raise WorkflowError(f"会议纪要编号不能超过 {MINUTES_MAX} 字")
    return MeetingRecord(record.held_on, attendees, minutes_no)


def meeting_for_steps(record: MeetingRecord, *, steps: Sequence[ApprovalStep], actor: User, today: date) -> Meeting:
    """Check the record and that every decided step is one the committee takes in session; create
    the Meeting (not yet linked: the caller sets `step.meeting` before inserting the steps)."""
    record = _checked(record, today)
    for row in steps:
        if row.step not in MEETING_STEPS:
            raise WorkflowError(f"会议记录只用于考评委员会的决定，“{step_label(row.step)}”环节不记录会议")
        authority.require(actor, "meetings.record", row.proposal.employee)
    return Meeting.objects.create(
        org_unit=actor.org_unit, held_on=record.held_on, attendees=record.attendees, minutes_no=record.minutes_no,
        recorded_by=actor,
    )
