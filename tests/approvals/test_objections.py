"""Objections (异议) during a notice: who may file, holding, upholding, dismissing, and who may
learn who filed (SPEC 2.4: the committee and the discipline officer, never the employee concerned)."""

from datetime import date

import pytest

from jinjie.approvals.models import ApprovalStep, Objection, ObjectionResolution, ProposalTransition
from jinjie.approvals.selectors import FILER_HIDDEN, objections_for
from jinjie.approvals.services import apply_due, objection_file, objection_resolve
from jinjie.approvals.workflow import WorkflowError
from jinjie.core.errors import NotPermitted
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user, employee, on_notice):
    """Logins: the employee concerned, a colleague in the county, one in the city office, an outsider."""
    p, _ = on_notice
    colleague = employee("赵六", unit="county")
    office = employee("钱七", unit="city")
    outsider = employee("孙八", unit="other")
    return {
        "concerned": user("wangwu", Role.EMPLOYEE, unit="county", employee=p.employee),
        "colleague": user("zhaoliu", Role.EMPLOYEE, unit="county", employee=colleague),
        "office": user("qianqi", Role.EMPLOYEE, unit="city", employee=office),
        "outsider": user("sunba", Role.EMPLOYEE, unit="other", employee=outsider),
    }


def _state(p):
    p.refresh_from_db()
    return p.state


# --- filing --------------------------------------------------------------------------------------


def test_an_employee_of_the_unit_files_an_objection_during_the_notice_and_it_holds_the_proposal(today, on_notice, people):
    p, notice = on_notice
    today(date(2026, 10, 2))
    objection = objection_file(notice_item=p.notice_item, filer=people["colleague"], text="该同志7月有违规未登记")
    assert (objection.proposal, objection.filer, objection.notice_item.notice) == (p, people["colleague"], notice)
    assert _state(p) == "held"


def test_an_objection_on_the_last_day_of_the_notice_is_accepted(today, on_notice, people):
    p, _ = on_notice
    today(date(2026, 10, 5))
    objection_file(notice_item=p.notice_item, filer=people["office"], text="异议")
    assert _state(p) == "held"


@pytest.mark.parametrize("day,message", [(date(2026, 9, 28), "公示期自 2026-09-29 开始"), (date(2026, 10, 6), "公示期已于 2026-10-05 结束")])
def test_an_objection_outside_the_notice_period_is_refused(today, on_notice, people, day, message):
    p, _ = on_notice
    today(day)
    with pytest.raises(WorkflowError, match=message):
        objection_file(notice_item=p.notice_item, filer=people["colleague"], text="异议")
    assert not Objection.objects.exists()
    assert _state(p) == "on_notice"


def test_someone_outside_the_unit_cannot_object(today, on_notice, people):
    p, _ = on_notice
    today(date(2026, 10, 2))
    with pytest.raises(NotPermitted, match="您不是临江市局的员工"):
        objection_file(notice_item=p.notice_item, filer=people["outsider"], text="异议")
    assert _state(p) == "on_notice"


def test_a_login_that_is_not_an_employee_cannot_object(today, staff, on_notice):
    p, _ = on_notice
    today(date(2026, 10, 2))
    with pytest.raises(NotPermitted, match="未关联员工"):
        objection_file(notice_item=p.notice_item, filer=staff["leader"], text="异议")


def test_an_empty_objection_is_refused(today, on_notice, people):
    p, _ = on_notice
    today(date(2026, 10, 2))
    with pytest.raises(WorkflowError, match="请填写异议内容"):
        objection_file(notice_item=p.notice_item, filer=people["colleague"], text="   ")


def test_the_proposal_log_never_names_the_filer(today, on_notice, people):
    p, _ = on_notice
    today(date(2026, 10, 2))
    objection_file(notice_item=p.notice_item, filer=people["colleague"], text="异议")
    entry = ProposalTransition.objects.get(proposal=p, event="object")
    assert entry.actor is None
    assert "赵六" not in entry.note and "zhaoliu" not in entry.note


# --- resolving -----------------------------------------------------------------------------------


@pytest.fixture
def objected(today, on_notice, people):
    p, _ = on_notice
    today(date(2026, 10, 2))
    return p, objection_file(notice_item=p.notice_item, filer=people["colleague"], text="该同志7月有违规未登记")


def test_an_upheld_objection_rejects_the_proposal_and_the_rank_stays(today, staff, objected):
    p, objection = objected
    today(date(2026, 10, 3))
    resolution = objection_resolve(objection=objection, actor=staff["committee"], upheld=True, reason="经核实属实")
    assert (resolution.upheld, resolution.actor) == (True, staff["committee"])
    assert _state(p) == "rejected"
    step = ApprovalStep.objects.filter(proposal=p).latest("sequence")
    assert (step.step, step.decision, step.actor) == ("notice", "reject", staff["committee"])
    apply_due(today=date(2026, 10, 20))
    p.employee.refresh_from_db()
    assert (p.employee.current_rank, _state(p)) == ("初级A", "rejected")


def test_a_dismissed_objection_puts_the_proposal_back_on_notice_and_it_ends_as_planned(today, staff, objected):
    p, objection = objected
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="经核实不属实")
    assert _state(p) == "on_notice"
    result = apply_due(today=date(2026, 10, 6))
    assert (result.notices_closed, result.applied) == (1, 1)
    p.refresh_from_db()
    assert (p.state, p.effective_date) == ("applied", date(2026, 10, 6))


def test_dismissed_after_the_notice_has_ended_it_is_approved_from_the_day_after_the_ruling(today, staff, objected):
    p, objection = objected
    apply_due(today=date(2026, 10, 8))  # the notice ended on 10-05, but an objection is open
    assert _state(p) == "held"
    today(date(2026, 10, 9))
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="不属实")
    p.refresh_from_db()
    assert (p.state, p.effective_date) == ("approved", date(2026, 10, 10))
    assert ApprovalStep.objects.filter(proposal=p).latest("sequence").step == "notice"


def test_with_two_objections_the_proposal_stays_held_until_both_are_resolved(today, staff, objected, people):
    p, first = objected
    second = objection_file(notice_item=p.notice_item, filer=people["office"], text="另一异议")
    objection_resolve(objection=first, actor=staff["committee"], upheld=False, reason="不属实")
    assert _state(p) == "held"
    objection_resolve(objection=second, actor=staff["committee2"], upheld=False, reason="不属实")
    assert _state(p) == "on_notice"


def test_once_upheld_the_other_objections_are_still_answered_but_change_nothing(today, staff, objected, people):
    p, first = objected
    second = objection_file(notice_item=p.notice_item, filer=people["office"], text="另一异议")
    objection_resolve(objection=first, actor=staff["committee"], upheld=True, reason="属实")
    objection_resolve(objection=second, actor=staff["committee"], upheld=False, reason="已一并处理")
    assert _state(p) == "rejected"
    assert ObjectionResolution.objects.count() == 2
    with pytest.raises(WorkflowError, match="已在公示|不能提出异议"):
        objection_file(notice_item=p.notice_item, filer=people["colleague"], text="再提")


def test_the_discipline_officer_cannot_resolve_an_objection(staff, objected):
    p, objection = objected
    with pytest.raises(NotPermitted, match="处理异议，应由考评委员会办理"):
        objection_resolve(objection=objection, actor=staff["discipline"], upheld=True, reason="属实")
    assert not ObjectionResolution.objects.exists()
    assert _state(p) == "held"


def test_a_committee_of_another_unit_cannot_resolve_and_an_objection_is_resolved_once(staff, objected):
    _, objection = objected
    with pytest.raises(NotPermitted):
        objection_resolve(objection=objection, actor=staff["other_committee"], upheld=True, reason="属实")
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="不属实")
    with pytest.raises(WorkflowError, match="已经处理"):
        objection_resolve(objection=objection, actor=staff["committee"], upheld=True, reason="改判")


def test_a_ruling_needs_a_reason(staff, objected):
    _, objection = objected
    with pytest.raises(WorkflowError, match="请填写处理意见"):
        objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="")


# --- who learns who filed ------------------------------------------------------------------------


def test_the_employee_concerned_reads_the_objection_but_not_who_filed_it(objected, people):
    p, _ = objected
    (seen,) = objections_for(user=people["concerned"], proposal=p)
    assert (seen.text, seen.status, seen.filer_visible, seen.filer_id, seen.filer_name) == (
        "该同志7月有违规未登记", "open", False, None, None
    )
    assert seen.filer_display == FILER_HIDDEN


def test_the_filer_the_committee_and_the_discipline_officer_see_who_filed(staff, objected, people):
    p, _ = objected
    for reader in (people["colleague"], staff["committee"], staff["discipline"]):
        (seen,) = objections_for(user=reader, proposal=p)
        assert (seen.filer_visible, seen.filer_name, seen.filer_id) == (True, "zhaoliu", people["colleague"].pk)


@pytest.mark.parametrize("who", ["leader", "hr", "director"])
def test_other_staff_do_not_read_objections_they_did_not_file(staff, objected, who):
    # org.authority: objections are the committee's and 纪检监察's to read (and the employee's own).
    p, _ = objected
    assert objections_for(user=staff["committee"], proposal=p)
    assert objections_for(user=staff[who], proposal=p) == []


def test_a_committee_member_who_is_the_employee_concerned_does_not_learn_who_filed(units, objected, people):
    p, _ = objected
    member = people["concerned"]
    member.role, member.org_unit = Role.COMMITTEE, units["city"]
    member.save()
    (seen,) = objections_for(user=member, proposal=p)
    assert seen.filer_visible is False


def test_colleagues_see_only_the_objections_they_filed_and_outsiders_see_none(objected, people):
    p, _ = objected
    objection_file(notice_item=p.notice_item, filer=people["office"], text="钱七的异议")
    assert [o.text for o in objections_for(user=people["colleague"], proposal=p)] == ["该同志7月有违规未登记"]
    assert [o.text for o in objections_for(user=people["office"])] == ["钱七的异议"]
    assert objections_for(user=people["outsider"], proposal=p) == []
    assert len(objections_for(user=people["concerned"])) == 2


def test_the_ruling_is_shown_with_the_objection(today, staff, objected, people):
    p, objection = objected
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="经核实不属实")
    (seen,) = objections_for(user=people["concerned"], proposal=p)
    assert (seen.status, seen.status_label, seen.resolution_reason, seen.resolver_name) == (
        "dismissed", "异议不成立", "经核实不属实", "委员甲"
    )


def test_asking_for_the_objections_of_an_id_no_row_can_have_gives_none(staff, objected):
    assert objections_for(user=staff["committee"], proposal=10**20) == []


# --- what the notice page offers -----------------------------------------------------------------


def test_the_page_offers_an_objection_exactly_when_the_service_would_accept_it(on_notice, people):
    from jinjie.approvals.selectors import objectable_proposals

    p, notice = on_notice
    items = list(notice.items.select_related("proposal"))

    def offered(who, day):
        return objectable_proposals(user=people[who], notice=notice, items=items, today=day)

    assert offered("colleague", date(2026, 10, 2)) == [p]
    assert offered("office", date(2026, 10, 5)) == [p]  # the city office is inside the notice's unit
    assert offered("outsider", date(2026, 10, 2)) == []
    assert offered("colleague", date(2026, 9, 28)) == [] and offered("colleague", date(2026, 10, 6)) == []
