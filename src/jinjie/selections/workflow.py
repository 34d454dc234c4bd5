"""The selection state machine as a table (SPEC 4 steps), and what each state locks.

`TRANSITIONS` is the whole process: state → {event: next state}. `transition()` is the only code
that changes `Selection.state`; anything not in the table is refused in Chinese. It touches no
database: the services lock the selection's row, call it, and save the selection and the log row
it returns in the same transaction.

  draft › publish › published (报名中) › close › review (资格审查) › complete_review › written (笔试)
  › complete_written › speech (演讲答辩) › complete_speech › democratic (民主测评)
  › complete_democratic › ranked (排名) › inspect › inspection (考察) › decide › decided (决定)
  › publish_notice › notice (公示) › appoint › appointed (任职)

Before the decision a selection may be cancelled (终止, with a reason); after its notice, one
whose every appointment fell (an objection upheld) ends the same way.

A stage is open in its own state; once HR marks it complete it is locked: an entry after that is a
correction, which needs a reason (and is shown as such in the dossier). From the decision on,
nothing of the scores changes any more: the decision stands on them.
"""

from __future__ import annotations

from jinjie.core.errors import DomainError
from jinjie.org.models import User

from .models import Selection, SelectionState, SelectionTransition

S = SelectionState

ORDER: tuple[str, ...] = tuple(S.values)  # draft … appointed, cancelled last

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"publish": S.PUBLISHED, "cancel": S.CANCELLED},
    S.PUBLISHED: {"close": S.REVIEW, "cancel": S.CANCELLED},
    S.REVIEW: {"complete_review": S.WRITTEN, "cancel": S.CANCELLED},
    S.WRITTEN: {"complete_written": S.SPEECH, "cancel": S.CANCELLED},
    S.SPEECH: {"complete_speech": S.DEMOCRATIC, "cancel": S.CANCELLED},
    S.DEMOCRATIC: {"complete_democratic": S.RANKED, "cancel": S.CANCELLED},
    S.RANKED: {"inspect": S.INSPECTION, "cancel": S.CANCELLED},
    S.INSPECTION: {"decide": S.DECIDED, "cancel": S.CANCELLED},
    S.DECIDED: {"publish_notice": S.NOTICE},
    S.NOTICE: {"appoint": S.APPOINTED, "end": S.CANCELLED},
    S.APPOINTED: {},
    S.CANCELLED: {},
}

EVENT_LABELS: dict[str, str] = {
    "create": "起草竞聘方案",
    "edit": "修改竞聘方案",
    "publish": "发布竞聘公告",
    "close": "报名截止，自动核对报名条件",
    "complete_review": "资格审查完成",
    "complete_written": "笔试成绩确认",
    "complete_speech": "演讲答辩成绩确认",
    "complete_democratic": "民主测评结果确认",
    "inspect": "确定考察人选",
    "decide": "决定任用人选",
    "publish_notice": "发布任前公示",
    "appoint": "任职生效",
    "cancel": "终止竞聘",
    "end": "公示后无人任职，竞聘结束",
}

# The stages whose entries are locked when HR marks them complete, in order; `inspection` is
# locked by the decision.
STAGES: dict[str, str] = {
    "review": S.REVIEW,
    "written": S.WRITTEN,
    "speech": S.SPEECH,
    "democratic": S.DEMOCRATIC,
    "inspection": S.INSPECTION,
}
STAGE_LABELS = {"review": "资格审查", "written": "笔试", "speech": "演讲答辩", "democratic": "民主测评", "inspection": "考察"}
COMPLETABLE = ("review", "written", "speech", "democratic")


class SelectionError(DomainError):
    """A refused selection action; the message is Chinese and nothing was written."""


def state_label(state: str) -> str:
    return S(state).label


def index(state: str) -> int:
    return ORDER.index(state)


def transition(selection: Selection, event: str, *, actor: User | None = None, note: str = "") -> SelectionTransition:
    """Move `selection.state` along `event`, or raise SelectionError. Returns the unsaved log row."""
    allowed = TRANSITIONS.get(selection.state, {})
    if event not in allowed:
        label = EVENT_LABELS.get(event, event)
        raise SelectionError(f"竞聘“{selection.code}”当前为“{state_label(selection.state)}”阶段，不能{label}")
    before = selection.state
    selection.state = allowed[event]
    return SelectionTransition(
        selection=selection,
        event=event,
        from_state=before,
        to_state=selection.state,
        actor=actor if actor is not None and actor.pk else None,
        note=note[:1000],
    )


def entry_mode(selection: Selection, stage: str) -> str:
    """How an entry of `stage` may be made now: "open" (the stage is running), "correction" (locked:
    a new entry with a reason), or a SelectionError saying why none may."""
    state = selection.state
    open_state = STAGES[stage]
    label = STAGE_LABELS[stage]
    if state == S.CANCELLED:
        raise SelectionError(f"竞聘“{selection.code}”已终止")
    if state == open_state:
        return "open"
    if index(state) < index(open_state):
        raise SelectionError(f"竞聘“{selection.code}”尚未进入{label}阶段（当前为“{state_label(state)}”）")
    if index(state) >= index(S.DECIDED):
        raise SelectionError(f"竞聘“{selection.code}”已作出任用决定，{label}记录不能再更正")
    return "correction"
