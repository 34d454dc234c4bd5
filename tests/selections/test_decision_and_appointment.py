"""From the ranking to the post (SPEC 4): 考察 of the 1:2 list, the leader's decision (the best
positions proposed, another choice only with a reason), the 任前公示 of ≥ 5 working days with
objections (the one workflow), and appointment: an append-only post record, the ladder rank kept,
the holder out of the quarterly evaluation."""

from datetime import date

import pytest

from jinjie.approvals.models import Notice, ProposalTransition
from jinjie.approvals.notice_pdf import notice_context
from jinjie.approvals.services import apply_due, objection_file, objection_resolve
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal
from jinjie.people.models import PostAssignment, RankChange
from jinjie.selections import services as sv
from jinjie.selections.models import Appointee, Decision, Inspection, SelectionTransition
from jinjie.selections.workflow import SelectionError


def test_only_the_inspection_list_is_inspected_and_a_record_is_complete(world, published, advance):
    apps = advance(published, to="ranked")
    hr = world.users["hr"]
    sv.inspection_start(selection=published, actor=hr)
    assert SelectionTransition.objects.get(selection=published, event="inspect").note == "考察人选 3 人：张三、李四、赵六"
    with pytest.raises(SelectionError, match="不在考察人选之内"):
        sv.inspection_record(selection=published, application=apps["wang"].pk, actor=hr, inspectors="组织部", date="2026-07-20",
                             findings="-", conclusion="合格")
    with pytest.raises(SelectionError, match="考察结论应为"):
        sv.inspection_record(selection=published, application=apps["zhang"].pk, actor=hr, inspectors="组织部", date="2026-07-20",
                             findings="好", conclusion="优秀")
    sv.inspection_record(selection=published, application=apps["li"].pk, actor=hr, inspectors="组织部 王",
                         date="2026-07-20", findings="群众反映一般", conclusion="合格")
    with pytest.raises(SelectionError, match="请填写更正理由"):
        sv.inspection_record(selection=published, application=apps["li"].pk, actor=hr, inspectors="组织部 王",
                             date="2026-07-21", findings="复核发现问题", conclusion="不合格")
    sv.inspection_record(selection=published, application=apps["li"].pk, actor=hr, inspectors="组织部 王",
                         date="2026-07-21", findings="复核发现问题", conclusion="不合格", reason="收到实名反映，补充考察")
    assert list(Inspection.objects.filter(application=apps["li"]).values_list("conclusion", "correction")) == [
        ("合格", False), ("不合格", True),
    ]


def test_the_leader_appoints_the_best_positions_as_proposed(world, published, advance):
    apps = advance(published, to="inspection")
    with pytest.raises(NotPermitted):
        sv.selection_decide(selection=published, actor=world.users["hr"])
    decision = sv.selection_decide(selection=published, actor=world.users["leader"])
    appointees = {a.application_id: a for a in Appointee.objects.filter(decision=decision)}
    assert set(appointees) == {apps["zhang"].pk, apps["zhao"].pk}
    p = appointees[apps["zhang"].pk].proposal
    assert (p.kind, p.move, p.from_rank, p.to_rank, p.route, p.state, p.rulebook) == (
        "appointment", "appoint", "中级C", "客服部主任", ["notice"], "in_review", None,
    )
    assert [r["code"] for r in p.reasons] == ["written", "speech", "democratic", "total", "inspection", "decision"]
    assert p.reasons[3]["text"] == "总成绩 89.1，第 1 名，列入考察 ✓"
    assert list(ProposalTransition.objects.filter(proposal=p).values_list("event", flat=True)) == ["submit"]
    assert len(decision.ranking) == 4 and decision.reason == ""
    published.refresh_from_db()
    assert published.state == "decided"


def test_another_choice_than_the_best_position_needs_a_reason(world, published, advance):
    apps = advance(published, to="inspection")
    leader = world.users["leader"]
    posts = {p.title: p.pk for p in published.posts.all()}
    choice = {posts["客服部主任"]: [apps["li"].pk], posts["订单部主任"]: [apps["zhao"].pk]}
    with pytest.raises(SelectionError, match="请填写未按名次推荐的理由"):
        sv.selection_decide(selection=published, actor=leader, choice=choice)
    with pytest.raises(SelectionError, match="最多任用 1 人"):
        sv.selection_decide(selection=published, actor=leader, choice={posts["客服部主任"]: [apps["li"].pk, apps["zhang"].pk]}, reason="x")
    with pytest.raises(SelectionError, match="不是“客服部主任”考察合格的人选"):
        sv.selection_decide(selection=published, actor=leader, choice={posts["客服部主任"]: [apps["wang"].pk]}, reason="x")
    assert not Decision.objects.exists() and not Proposal.objects.exists()
    sv.selection_decide(selection=published, actor=leader, choice=choice, reason="李四熟悉客服业务，工作需要")
    p = Appointee.objects.get(application=apps["li"]).proposal
    assert p.reasons[-1]["text"] == "未按名次推荐，理由：李四熟悉客服业务，工作需要"


def test_a_leader_who_competes_does_not_decide(world, published, advance):
    world.users["zhang"].employee = None
    world.users["zhang"].save()
    world.users["leader"].employee = world.people["zhang"]
    world.users["leader"].save()
    advance(published, to="inspection")
    with pytest.raises(NotPermitted, match="回避"):
        sv.selection_decide(selection=published, actor=world.users["leader"])


def test_from_notice_to_post_the_appointee_keeps_the_rank_and_leaves_the_evaluation(world, published, advance, today):
    from jinjie.evaluations.services import evaluation_run
    from jinjie.rulebooks.services import rulebook_load_defaults

    apps = advance(published, to="notice")
    notice = published.notice
    assert (notice.days, notice.day_kind, notice.start_date, notice.end_date) == (5, "working", date(2026, 7, 28), date(2026, 8, 3))
    assert notice.title == "关于张三等同志竞聘任职的任前公示"
    ctx = notice_context(notice)
    assert ctx["columns"][3:5] == ["现职级", "拟任职务"] and "拟任用以下2名同志" in ctx["intro"]
    assert [(r["name"], r["to_rank"]) for r in ctx["rows"]] == [("张三", "客服部主任"), ("赵六", "订单部主任")]
    # A colleague objects to 赵六; the committee dismisses it.
    filer = world.users["sun"]  # a colleague of the unit
    today(date(2026, 7, 29))
    zhao = Appointee.objects.get(application=apps["zhao"]).proposal
    objection = objection_file(notice_item=zhao.notice_item, filer=filer, text="该同志曾有客户投诉")
    objection_resolve(objection=objection, actor=world.users["committee"], upheld=False, reason="经核实不属实")
    # The notice ends; apply_due writes the posts.
    result = apply_due(today=date(2026, 8, 4))
    assert len(result.applied_ids) == 2, result.summary()
    posts = {p.employee.name: p for p in PostAssignment.objects.select_related("employee", "org_unit")}
    assert (posts["张三"].post, posts["张三"].org_unit.name, posts["张三"].start_date) == ("客服部主任", "甲市局", date(2026, 8, 4))
    assert posts["张三"].source_ref == f"proposal:{Appointee.objects.get(application=apps['zhang']).proposal_id}"
    published.refresh_from_db()
    assert published.state == "appointed"
    zhang = world.people["zhang"]
    zhang.refresh_from_db()
    assert zhang.current_rank == "中级C" and not RankChange.objects.filter(employee=zhang).exists()  # rank kept
    # The 2026Q3 evaluation (last day 2026-09-30) leaves both holders out and lists them.
    rulebook_load_defaults()
    run = evaluation_run(period="2026Q3", org_unit=world.tree["city_a"])
    assert run.managers == [{"employee_no": "A001", "post": "客服部主任"}, {"employee_no": "A004", "post": "订单部主任"}]
    assert not Proposal.objects.filter(kind="evaluation", employee__in=[zhang, world.people["zhao"]]).exists()
    assert Proposal.objects.filter(kind="evaluation", employee=world.people["li"]).exists()
    # … but 2026Q2 (before the appointment) still evaluates them.
    assert evaluation_run(period="2026Q2", org_unit=world.tree["city_a"]).managers == []


def test_an_upheld_objection_leaves_the_post_empty_and_hr_ends_the_selection(world, published, advance, today):
    apps = advance(published, to="notice")
    filer = world.users["sun"]  # a colleague of the unit
    today(date(2026, 7, 29))
    for key in ("zhang", "zhao"):
        proposal = Appointee.objects.get(application=apps[key]).proposal
        objection = objection_file(notice_item=proposal.notice_item, filer=filer, text="有问题")
        objection_resolve(objection=objection, actor=world.users["committee"], upheld=True, reason="经核实属实")
    assert apply_due(today=date(2026, 8, 4)).applied == 0
    sv.selection_settle(selection=published, actor=world.users["hr"])
    published.refresh_from_db()
    assert published.state == "cancelled" and not PostAssignment.objects.exists()
    assert SelectionTransition.objects.filter(selection=published).latest("id").event == "end"


def test_only_hr_publishes_the_notice_of_an_appointment(world, published, advance, today):
    advance(published, to="decided")
    today(date(2026, 7, 27))
    with pytest.raises(NotPermitted):
        sv.selection_notice(selection=published, actor=world.users["committee"])
    assert not Notice.objects.exists()
