"""竞聘任职 on the one workflow (approvals.channels): notice wording, who publishes (HR,
selections.notice) and who rules on objections (the committee, selections.resolve_objections), and
what taking effect means — an append-only post record (people.PostAssignment: post, unit, start
date) for each appointee, written by `apply-due` in its own transaction. The employee's ladder
rank is kept; while holding the post they leave the quarterly evaluation (evaluations.facts)."""

from __future__ import annotations

from datetime import date

from jinjie.approvals import channels
from jinjie.evaluations.models import Proposal, ProposalKind
from jinjie.people.models import Employee, PostAssignment, Status

from .models import Appointee, Selection
from .services.decision import settle

NOTICE_SUBJECT = "竞聘任职"


def appoint(proposals: list[Proposal], today: date) -> dict[int, str]:
    """Taking effect: the post record of every due appointment (source "proposal:<id>"), in the
    caller's transaction; {proposal id: reason} for those voided instead. A selection whose every
    appointment is then settled ends appointed."""
    ids = [p.pk for p in proposals]
    appointees = {
        a.proposal_id: a
        for a in Appointee.objects.filter(proposal_id__in=ids).select_related("post", "decision__selection")
    }
    status = dict(Employee.objects.filter(pk__in=[p.employee_id for p in proposals]).values_list("pk", "status"))
    voided: dict[int, str] = {}
    rows: list[PostAssignment] = []
    by_selection: dict[int, tuple[set[int], set[int]]] = {}
    for p in proposals:
        a = appointees.get(p.pk)
        if a is None:
            voided[p.pk] = "找不到该任职建议所属的竞聘决定，作废"
            continue
        applied, rejected = by_selection.setdefault(a.decision.selection_id, (set(), set()))
        if status.get(p.employee_id) != Status.ACTIVE:
            voided[p.pk] = "该员工已不在岗，任职作废"
            rejected.add(p.pk)
            continue
        selection = a.decision.selection
        rows.append(
            PostAssignment(
                employee_id=p.employee_id, post=a.post.title, org_unit_id=selection.org_unit_id,
                start_date=p.effective_date or today, source_ref=f"proposal:{p.pk}",
            )
        )
        applied.add(p.pk)
    PostAssignment.objects.bulk_create(rows)
    for selection in Selection.objects.select_for_update().filter(pk__in=sorted(by_selection)).order_by("pk"):
        applied, rejected = by_selection[selection.pk]
        settle(selection, applied_now=applied, rejected_now=rejected)
    return voided


CHANNEL = channels.Channel(
    kind=ProposalKind.APPOINTMENT,
    notice_subject=NOTICE_SUBJECT,
    publish_right="selections.notice",
    resolve_right="selections.resolve_objections",
    effect=appoint,
    notice_intro=(
        "经{issuer}竞聘上岗、民主测评、组织考察和领导集体研究，拟任用以下{count}名同志。根据干部任前公示制度，"
        "为广泛听取意见、接受监督，现予以公示。"
    ),
    notice_columns=("现职级", "拟任职务"),
    notice_signature="{issuer}",
)


def register() -> None:
    channels.register(CHANNEL)
