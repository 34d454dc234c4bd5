"""Writes of the management channel (SPEC 4), one module per part of the process:

- posting.py — draft, edit, publish, cancel a selection;
- applications.py — apply (self or 组织推荐), withdraw, close 报名 (the frozen check), review, 破格;
- scores.py — 笔试 and final scores, judges and 回避, the judges' sheets, ballots, stage completion;
- decision.py — 考察, the leader's decision (appointment proposals on the one workflow), the
  任前公示, the end.

Every public function is keyword-only and runs in ONE transaction: it locks the selection's row
first (two acts on a selection take turns), checks everything (org.authority, the state machine in
workflow.py) before writing, refuses with a DomainError (Chinese, nothing written), and writes its
history (SelectionTransition, ApplicationEvent, the append-only entries) in the same transaction.
"""

from .applications import (
    application_apply,
    application_review,
    application_withdraw,
    applications_close,
    exception_grant,
)
from .decision import (
    inspection_record,
    inspection_start,
    proposed_choice,
    selection_decide,
    selection_notice,
    selection_settle,
)
from .posting import next_code, selection_cancel, selection_create, selection_publish, selection_update
from .scores import (
    EntryResult,
    ImportCheck,
    ScoresRefused,
    ballots_enter,
    judge_marks,
    judge_name,
    recusal_declare,
    scores_enter,
    scores_import,
    stage_complete,
)

__all__ = [
    "EntryResult",
    "ImportCheck",
    "ScoresRefused",
    "application_apply",
    "application_review",
    "application_withdraw",
    "applications_close",
    "ballots_enter",
    "exception_grant",
    "inspection_record",
    "inspection_start",
    "judge_marks",
    "judge_name",
    "next_code",
    "proposed_choice",
    "recusal_declare",
    "scores_enter",
    "scores_import",
    "selection_cancel",
    "selection_create",
    "selection_decide",
    "selection_notice",
    "selection_publish",
    "selection_settle",
    "selection_update",
    "stage_complete",
]
