"""The workflow is one table of allowed transitions; transition() refuses everything else."""

import pytest

from jinjie.approvals.workflow import EVENT_LABELS, TRANSITIONS, WorkflowError, transition
from jinjie.evaluations.models import Proposal, ProposalState


def test_every_state_of_a_proposal_is_in_the_table_and_every_target_is_a_state():
    assert set(TRANSITIONS) == set(ProposalState.values)
    for events in TRANSITIONS.values():
        assert set(events.values()) <= set(ProposalState.values)
        assert set(events) <= set(EVENT_LABELS)


def test_terminal_states_allow_nothing():
    for state in ("applied", "superseded", "no_action"):
        assert TRANSITIONS[state] == {}


@pytest.mark.parametrize(
    "state,event,expected",
    [
        ("draft", "submit", "in_review"),
        ("in_review", "advance", "in_review"),
        ("in_review", "publish", "on_notice"),
        ("in_review", "complete", "approved"),
        ("in_review", "reject", "rejected"),
        ("on_notice", "object", "held"),
        ("on_notice", "close", "approved"),
        ("held", "object", "held"),
        ("held", "uphold", "rejected"),
        ("held", "dismiss", "on_notice"),
        ("approved", "apply", "applied"),
        ("rejected", "supersede", "superseded"),
    ],
)
def test_allowed_transitions_move_the_state_and_return_the_log_row(state, event, expected):
    p = Proposal(pk=7, state=state, step_index=1)
    row = transition(p, event, note="说明")
    assert p.state == expected
    assert (row.from_state, row.to_state, row.event, row.step_index, row.note) == (state, expected, event, 1, "说明")


@pytest.mark.parametrize(
    "state,event",
    [
        ("draft", "complete"),  # a draft must be submitted first
        ("in_review", "apply"),  # only an approved proposal takes effect
        ("on_notice", "reject"),  # a notice ends by itself or by an objection, not by a reviewer
        ("rejected", "submit"),
        ("applied", "void"),
        ("no_action", "submit"),  # holds and incompletes never enter the workflow
        ("approved", "object"),  # no objection once the notice is over
    ],
)
def test_anything_not_in_the_table_is_refused_in_chinese_and_changes_nothing(state, event):
    p = Proposal(pk=7, state=state)
    with pytest.raises(WorkflowError, match="当前状态为"):
        transition(p, event)
    assert p.state == state
