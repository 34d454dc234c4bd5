"""Writes of the approval workflow (SPEC 2.4), one module per act, one import surface.

- decide.py — submit drafts, decide steps (one or a batch), the rejected skip's fallback;
- notices.py — publish a 公示, file and resolve objections;
- apply.py — `apply-due`: close ended notices, make due proposals take effect;
- demotion.py — immediate demotion for a violation;
- reassignment.py — HR closes a reassignment case (调整岗位) with its decision;
- _rows.py — the row helpers they share (ids, locks in id order, grouped writes).

Every public function is keyword-only and runs in ONE transaction. It locks the proposal rows it
will change first, re-reads their state and checks everything (approvals.checks, org.authority)
before writing anything: a refused action raises a DomainError (Chinese message) and writes
nothing. Each state change goes through workflow.transition() and is logged (ProposalTransition)
in the same transaction.
"""

from .apply import ApplyResult, apply_due
from .decide import (
    BatchDecision,
    DecisionResult,
    period_submit,
    proposal_decide,
    proposal_submit,
    proposals_decide_batch,
)
from .demotion import immediate_demotion
from .notices import notice_publish, objection_file, objection_resolve
from .reassignment import reassignment_close

__all__ = [
    "ApplyResult",
    "BatchDecision",
    "DecisionResult",
    "apply_due",
    "immediate_demotion",
    "notice_publish",
    "objection_file",
    "objection_resolve",
    "period_submit",
    "proposal_decide",
    "proposal_submit",
    "proposals_decide_batch",
    "reassignment_close",
]
