"""What happens next to a proposal, in a sentence: the flash messages after an act say it, so that
nobody has to open the proposal to learn where it went."""

from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext, gettext_noop

from jinjie.approvals.workflow import STEP_ACTIONS, current_step, step_label
from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org import authority
from jinjie.org.models import Role

S = ProposalState
# A proposal still on its way: the employee concerned sees these first.
PENDING_STATES = (S.IN_REVIEW, S.ON_NOTICE, S.HELD, S.APPROVED)


def _who_decides(step: str) -> str:
    roles = authority.roles_for(STEP_ACTIONS[step])
    return gettext("、").join(gettext(Role(r).label) for r in Role if r in roles)


def what_next(p: Proposal) -> str:
    if p.state == S.IN_REVIEW:
        step = current_step(p)
        if step == "notice":
            return gettext("下一步：由考评委员会发布公示，公示期满无异议后生效。")
        if step in STEP_ACTIONS:
            return gettext("下一环节：%(step)s，由%(who)s审批。") % {"step": gettext(step_label(step)), "who": _who_decides(step)}
    if p.state == S.APPROVED and p.effective_date:
        return gettext("审批通过，%(day)s 生效（每日生效处理后记入职级历史，薪酬自次月1日起调整）。") % {"day": p.effective_date}
    if p.state == S.REJECTED:
        return gettext("未通过，职级不变。")
    return gettext("现为“%(state)s”。") % {"state": gettext(p.get_state_display())}


def batch_outcome(proposals: Iterable[Proposal]) -> str:
    """How many went where: "3 条转入下一环节，2 条待发布公示，1 条审批通过待生效"."""
    counts: Counter[str] = Counter()
    for p in proposals:
        if p.state == S.IN_REVIEW:
            counts[gettext_noop("待发布公示") if current_step(p) == "notice" else gettext_noop("转入下一环节")] += 1
        elif p.state == S.APPROVED:
            counts[gettext_noop("审批通过待生效")] += 1
        elif p.state == S.REJECTED:
            counts[gettext_noop("未通过")] += 1
    # The keys above, in this order; each is translated where it is shown.
    order = (
        gettext_noop("转入下一环节"), gettext_noop("待发布公示"), gettext_noop("审批通过待生效"), gettext_noop("未通过"),
    )
    return gettext("，").join(gettext("%(n)s 条%(what)s") % {"n": counts[k], "what": gettext(k)} for k in order if counts[k])
