"""Review and grant (SPEC 3.1): 专卖监督管理科 marks each manual item; a passed application becomes
ONE proposal on the monopoly route (committee › notice), with the same decisions, notice,
objections and `apply-due` as any proposal; taking effect grants the level, once."""

from datetime import date

import pytest

from jinjie.applications.models import Application, ApplicationTransition
from jinjie.applications.selectors import STATUS_LABELS, applications_for, round_counts, status_of, status_q
from jinjie.applications.services import application_apply, application_review, round_close
from jinjie.applications.workflow import ApplicationError
from jinjie.approvals.models import ProposalTransition
from jinjie.approvals.services import (
    apply_due,
    notice_publish,
    objection_file,
    objection_resolve,
    proposal_decide,
)
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal
from jinjie.people.models import Employee, Qualification, RankChange

pytestmark = pytest.mark.django_db

ALL_MET = {"manual.1": True, "manual.2": True}


@pytest.fixture
def checked(round_, people, logins):
    """李's and 周's applications, checked at the close (HR closed early on 2026-10-12)."""
    apps = [application_apply(actor=logins["hr"], round=round_, employee=people[k]) for k in ("li", "zhou")]
    round_close(actor=logins["hr"], round=round_)
    for a in apps:
        a.refresh_from_db()
    return apps


def test_all_items_met_makes_one_proposal_on_the_monopoly_route(checked, logins, people):
    li = checked[0]
    a = application_review(actor=logins["reviewer"], application=li, items=ALL_MET, comment="日常工作表现良好")
    assert (a.state, a.reviewed_by, a.review_comment) == ("reviewed", logins["reviewer"], "日常工作表现良好")
    assert [m["ok"] for m in a.marks] == [True, True]
    p = a.proposal
    assert (p.kind, p.move, p.from_rank, p.to_rank) == ("monopoly", "grant", "初级专卖管理员", "中级专卖管理员")
    assert (p.route, p.state, p.step_index, p.rulebook) == (["committee", "notice"], "in_review", 0, li.rulebook)
    codes = [r["code"] for r in p.reasons]
    assert codes[-2:] == ["manual.1", "manual.2"] and "shuangneng" in codes
    assert all(r["passed"] for r in p.reasons)
    (submit,) = ProposalTransition.objects.filter(proposal=p)
    assert (submit.event, submit.actor, submit.to_state) == ("submit", logins["reviewer"], "in_review")
    assert status_of(a) == "reviewed" and STATUS_LABELS["reviewed"] == "审核通过"


def test_an_item_not_met_rejects_it_with_the_reason(checked, logins):
    zhou = checked[1]
    with pytest.raises(ApplicationError, match="请在审核意见中写明理由"):
        application_review(actor=logins["reviewer"], application=zhou, items={"manual.1": True, "manual.2": False})
    a = application_review(
        actor=logins["reviewer"], application=zhou, items={"manual.1": True, "manual.2": False},
        comment="客户服务技能有待提高",
    )
    assert (a.state, a.proposal, status_of(a)) == ("rejected", None, "rejected")
    note = ApplicationTransition.objects.filter(application=a).last().note
    assert "不符合：" in note and "客户服务技能有待提高" in note
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"manual.1": True}, "尚未认定"),
        ({"manual.1": True, "manual.2": True, "manual.9": True}, "没有这些评审认定项：manual.9"),
        ({"manual.1": "yes", "manual.2": True}, "应为 true（符合）或 false（不符合）"),
        ("all", "请逐项填写"),
    ],
)
def test_every_item_is_marked_true_or_false(checked, logins, items, message):
    with pytest.raises(ApplicationError, match=message):
        application_review(actor=logins["reviewer"], application=checked[0], items=items)
    assert Application.objects.get(pk=checked[0].pk).state == "checked"


def test_only_the_monopoly_supervision_reviewers_review(checked, logins):
    for actor in (logins["cm_reviewer"], logins["committee"], logins["hr"], logins["li"]):
        with pytest.raises(NotPermitted):
            application_review(actor=actor, application=checked[0], items=ALL_MET)
    assert not Proposal.objects.exists()


def test_a_second_review_is_refused(checked, logins):
    application_review(actor=logins["reviewer"], application=checked[0], items=ALL_MET)
    with pytest.raises(ApplicationError, match="只有资格审查通过的申报可以审核"):
        application_review(actor=logins["reviewer2"], application=checked[0], items=ALL_MET)
    assert Proposal.objects.count() == 1


def test_a_submitted_application_is_not_reviewed_before_the_check(round_, people, logins):
    a = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    with pytest.raises(ApplicationError, match="当前状态为“已申报”"):
        application_review(actor=logins["reviewer"], application=a, items=ALL_MET)


def test_from_review_to_the_level_granted_and_granting_twice_is_impossible(checked, logins, people, tree, today):
    li = application_review(actor=logins["reviewer"], application=checked[0], items=ALL_MET)
    p = li.proposal
    proposal_decide(proposal=p, actor=logins["committee"], decision="approve", comment="同意")
    li.refresh_from_db()
    assert status_of(li) == "in_route"
    notice = notice_publish(org_unit=tree["city_a"], proposals=[p], actor=logins["committee"])
    assert notice.title == "关于李专管同志专卖管理员等级晋升的公示"
    assert (notice.start_date, notice.end_date) == (date(2026, 10, 13), date(2026, 10, 19))
    today(date(2026, 10, 14))
    objection = objection_file(notice_item=notice.items.get(), filer=logins["zhou"], text="请核实其执法案卷数量")
    objection_resolve(objection=objection, actor=logins["committee"], upheld=False, reason="经核实，材料齐全")
    assert apply_due(today=date(2026, 10, 19)).applied == 0  # the notice still runs
    result = apply_due(today=date(2026, 10, 20))
    assert result.applied_ids == [p.pk], result.summary()
    li.refresh_from_db()
    assert status_of(li) == "granted"
    granted = Qualification.objects.get(employee=people["li"], level="中级专卖管理员")
    assert (granted.granted_date, granted.source_ref) == (date(2026, 10, 20), f"proposal:{p.pk}")
    change = RankChange.objects.get(employee=people["li"], source="grant")
    assert (change.from_rank, change.to_rank, change.effective_date) == ("初级专卖管理员", "中级专卖管理员", date(2026, 10, 20))
    assert change.reason == f"专卖管理员等级申报：取得等级（建议 #{p.pk}）"
    assert Employee.objects.get(pk=people["li"].pk).current_rank == "中级专卖管理员"
    # apply-due again, on the same day or later: nothing more is granted.
    assert apply_due(today=date(2026, 10, 20)).applied == 0
    assert apply_due(today=date(2026, 12, 1)).applied == 0
    assert Qualification.history.filter(employee=people["li"], level="中级专卖管理员").count() == 1
    assert RankChange.objects.filter(employee=people["li"], source="grant").count() == 1


def test_statuses_are_derived_from_the_proposal_in_sql_and_in_python_alike(checked, logins, round_):
    application_review(actor=logins["reviewer"], application=checked[0], items=ALL_MET)
    application_review(actor=logins["reviewer"], application=checked[1], items={"manual.1": False, "manual.2": True},
                       comment="不符合")
    p = Application.objects.get(pk=checked[0].pk).proposal
    proposal_decide(proposal=p, actor=logins["committee"], decision="reject", comment="材料不实")
    apps = list(applications_for(user=logins["hr"], round=round_))
    assert sorted(status_of(a) for a in apps) == ["rejected", "rejected"]
    assert Application.objects.filter(status_q("rejected")).count() == 2
    assert round_counts([round_.pk])[round_.pk]["rejected"] == 2
