"""Proposals, decisions, notices and objections through the pages. The rules are the services';
here: the page calls them, shows their refusals in Chinese, and changes nothing when refused."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from jinjie.approvals.models import ApprovalStep, Objection
from jinjie.approvals.services import notice_publish, proposal_decide, proposal_submit
from jinjie.core.models import Job
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def _state(p):
    return Proposal.objects.get(pk=p.pk).state


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _work():
    call_command("worker", "--burst", verbosity=0)


def test_the_period_page_runs_an_evaluation_as_a_job_and_shows_counts_per_move(client_for, staff, rulebooks, tree):
    client = client_for(Role.COMMITTEE)
    response = client.post(reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_a"].pk})
    job = Job.objects.get()
    assert response.url == reverse("web:job", args=[job.pk])
    waiting = client.get(response.url).content.decode()
    assert "排队中" in waiting and 'hx-trigger="every 1s"' in waiting
    assert not Proposal.objects.exists()  # the request itself evaluated nobody
    _work()
    page = client.get(reverse("web:job_progress", args=[job.pk])).content.decode()
    assert "2026Q3 测评完成" in page and "hx-trigger" not in page  # done: the polling stops
    assert "晋级" in page and "晋档" in page
    assert f"?period=2026Q3&amp;unit={tree['city_a'].pk}" in page
    assert Proposal.objects.filter(period="2026Q3", employee__org_unit__path__startswith="某省公司/甲市局").count() == 3


def test_a_bad_period_is_a_chinese_form_error_and_runs_nothing(client_for, staff, rulebooks, tree):
    response = client_for(Role.COMMITTEE).post(reverse("web:periods"), {"period": "2026-3", "org_unit": tree["city_a"].pk})
    assert response.status_code == 200
    assert "测评期格式应为 YYYYQn" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_unit_outside_the_users_subtree_cannot_be_chosen(client_for, staff, rulebooks, tree):
    response = client_for(Role.COMMITTEE).post(reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_b"].pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_list_filters_by_move_and_paginates(client_for, evaluated):
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:proposals"), {"period": "2026Q3", "move": "level_up"}).content.decode()
    assert "张三" in page and "赵六" not in page
    page = client.get(reverse("web:proposals"), {"period": "2026Q3"}).content.decode()
    assert "张三" in page and "赵六" in page and "王五" not in page


def test_the_committee_submits_and_approves_in_a_batch(client_for, evaluated):
    zhang = evaluated["A001"]
    client = client_for(Role.COMMITTEE)
    back = reverse("web:proposals") + "?period=2026Q3"
    response = client.post(reverse("web:proposals_batch"), {"ids": [zhang.pk], "decision": "submit", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert _state(zhang) == "in_review"
    client.post(reverse("web:proposals_batch"), {"ids": [zhang.pk], "decision": "approve", "comment": "同意"})
    assert ApprovalStep.objects.filter(proposal=zhang, step="committee", decision="approve").exists()


def test_a_refused_batch_shows_every_reason_and_changes_nothing(client_for, evaluated):
    zhang, zhao = evaluated["A001"], evaluated["A002"]
    client = client_for(Role.COMMITTEE)
    client.post(reverse("web:proposals_batch"), {"ids": [zhang.pk], "decision": "submit"})
    # 赵六's draft cannot be approved (not submitted): the whole batch is refused.
    response = client.post(reverse("web:proposals_batch"), {"ids": [zhang.pk, zhao.pk], "decision": "approve"}, follow=True)
    text = " ".join(_messages(response))
    assert "全部未处理" in text and f"#{zhao.pk}" in text
    assert not ApprovalStep.objects.exists()
    assert _state(zhang) == "in_review"


def test_a_batch_from_another_city_is_refused(client_for, evaluated):
    wang = evaluated["B001"]
    response = client_for(Role.COMMITTEE).post(reverse("web:proposals_batch"), {"ids": [wang.pk], "decision": "submit"}, follow=True)
    assert "不在您的管理范围内" in " ".join(_messages(response))
    assert _state(wang) == "draft"


def test_rejecting_needs_a_reason(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    response = client_for(Role.COMMITTEE).post(reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "reject", "comment": ""})
    assert response.status_code == 400
    assert "不同意时请填写理由" in response.content.decode()
    assert _state(zhang) == "in_review"


def test_deciding_with_htmx_swaps_in_errors_and_redirects_on_success(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    client = client_for(Role.COMMITTEE)
    url = reverse("web:proposal_decide", args=[zhang.pk])
    bad = client.post(url, {"decision": "maybe"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200
    assert "选择一个有效的选项" in bad.content.decode()
    assert not ApprovalStep.objects.exists()
    good = client.post(url, {"decision": "approve", "comment": "同意"}, headers={"HX-Request": "true"})
    assert good.status_code == 204
    assert good["HX-Redirect"] == reverse("web:proposal", args=[zhang.pk])
    assert ApprovalStep.objects.get(proposal=zhang).comment == "同意"


def test_only_the_step_owner_sees_the_decision_form(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    url = reverse("web:proposal", args=[zhang.pk])
    assert "提交意见" in client_for(Role.COMMITTEE).get(url).content.decode()
    assert "提交意见" not in client_for(Role.LEADER).get(url).content.decode()


def test_deciding_someone_elses_step_is_forbidden_and_records_nothing(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    response = client_for(Role.LEADER).post(reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert "考评委员会" in response.content.decode()
    assert not ApprovalStep.objects.exists()


def test_a_workflow_refusal_is_shown_and_changes_nothing(client_for, evaluated):
    zhang = evaluated["A001"]  # still a draft: nothing to decide
    response = client_for(Role.COMMITTEE).post(
        reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve"}, follow=True
    )
    assert response.status_code == 200
    assert any("待提交" in m for m in _messages(response))
    assert _state(zhang) == "draft"


def test_the_proposal_page_shows_criteria_route_and_history(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve", comment="符合条件")
    page = client_for(Role.LEADER).get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    for text in ("本岗位任职月数", "≥ 86", "87", "verdict-pass", "考评委员会", "分局(公司)领导", "公示", "符合条件", "提交审批"):
        assert text in page, text


def _to_notice(evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    return zhang


def test_the_committee_publishes_a_notice_from_the_candidates(client_for, evaluated, users, tree):
    zhang = _to_notice(evaluated, users)
    client = client_for(Role.COMMITTEE)
    assert "张三" in client.get(reverse("web:notice_new")).content.decode()
    response = client.post(reverse("web:notice_new"), {"org_unit": tree["city_a"].pk, "ids": [zhang.pk]}, follow=True)
    page = response.content.decode()
    assert "公　示" in page and "张三" in page and "中级C" in page
    assert _state(zhang) == "on_notice"


def test_publishing_nothing_is_a_form_error(client_for, evaluated, users, tree):
    _to_notice(evaluated, users)
    response = client_for(Role.COMMITTEE).post(reverse("web:notice_new"), {"org_unit": tree["city_a"].pk})
    assert "请至少选择一条待公示的建议" in response.content.decode()


def test_objections_are_filed_during_the_notice_and_resolved_by_the_committee(client_for, evaluated, users, tree, today):
    zhang = _to_notice(evaluated, users)
    notice = notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=users[Role.COMMITTEE])
    url = reverse("web:notice", args=[notice.pk])
    # Before the notice starts the form is not offered, and a forced post is refused.
    assert "提交异议" not in client_for("employee_zhao").get(url).content.decode()
    early = client_for("employee_zhao").post(reverse("web:objection_new", args=[notice.pk]), {"proposal": zhang.pk, "reason": "有不同意见，请核实"}, follow=True)
    assert any("届时方可提出异议" in m for m in _messages(early))
    assert not Objection.objects.exists()

    today(date(2026, 10, 12))
    assert "提交异议" in client_for("employee_zhao").get(url).content.decode()
    client_for("employee_zhao").post(reverse("web:objection_new", args=[notice.pk]), {"proposal": zhang.pk, "reason": "有不同意见，请核实"})
    objection = Objection.objects.get()
    assert _state(zhang) == "held"

    # The discipline officer reads it, filer included, but may not rule on it.
    assert "zhao" in client_for(Role.DISCIPLINE).get(reverse("web:objections")).content.decode()
    denied = client_for(Role.DISCIPLINE).post(reverse("web:objection_resolve", args=[objection.pk]), {"outcome": "dismiss", "reason": "x"})
    assert denied.status_code == 403
    # The employee concerned reads the objection on their proposal, never who filed it.
    mine = client_for(Role.EMPLOYEE).get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    assert "有不同意见" in mine and "zhao" not in mine and "不公开" in mine

    done = client_for(Role.COMMITTEE).post(reverse("web:objection_resolve", args=[objection.pk]), {"outcome": "dismiss", "reason": "经核实不属实"}, follow=True)
    assert any("异议不成立" in m for m in _messages(done))
    assert _state(zhang) == "on_notice"


def test_an_objection_needs_a_reason(client_for, evaluated, users, tree, today):
    zhang = _to_notice(evaluated, users)
    notice = notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=users[Role.COMMITTEE])
    today(date(2026, 10, 12))
    response = client_for("employee_zhao").post(reverse("web:objection_new", args=[notice.pk]), {"proposal": zhang.pk, "reason": " "}, follow=True)
    assert any("必填项" in m for m in _messages(response))
    assert not Objection.objects.exists()


def test_the_notice_pdf_is_a_pdf(client_for, evaluated, users, tree):
    zhang = _to_notice(evaluated, users)
    notice = notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=users[Role.COMMITTEE])
    response = client_for("employee_zhao").get(reverse("web:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for("employee_wang").get(reverse("web:notice_pdf", args=[notice.pk])).status_code == 404


def test_the_home_pages_list_what_waits(client_for, evaluated, users):
    zhang = evaluated["A001"]
    assert "待提交审批的测评结果" in client_for(Role.COMMITTEE).get("/").content.decode()
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve")
    leader = client_for(Role.LEADER).get("/").content.decode()
    assert "待领导审批" in leader and "张三" in leader
    zhao = evaluated["A002"]
    proposal_submit(proposals=[zhao], actor=users[Role.COMMITTEE])
    reviewer = client_for(Role.TRACK_REVIEWER).get("/").content.decode()
    assert "待序列审核（客户经理）" in reviewer and "赵六" in reviewer


def test_the_committee_submits_a_whole_period_of_a_unit(client_for, evaluated, tree):
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:periods"), {"period": "2026Q3", "unit": tree["city_a"].pk}).content.decode()
    assert "全部提交审批" in page
    first = client.post(reverse("web:period_submit"), {"period": "2026Q3", "org_unit": tree["city_a"].pk})
    _work()
    assert _state(evaluated["A001"]) == "in_review" and _state(evaluated["A002"]) == "in_review"
    assert _state(evaluated["B001"]) == "draft"
    assert "已提交" in client.get(first.url).content.decode()
    again = client.post(reverse("web:period_submit"), {"period": "2026Q3", "org_unit": tree["city_a"].pk})
    _work()
    assert "没有待提交的建议" in client.get(again.url).content.decode()


def test_hr_may_run_evaluations_but_not_submit_them(client_for, evaluated, tree):
    response = client_for(Role.HR).post(reverse("web:period_submit"), {"period": "2026Q3", "org_unit": tree["city_a"].pk})
    assert response.status_code == 403
    assert _state(evaluated["A001"]) == "draft"


def test_the_committee_demotes_at_once_for_a_violation(client_for, staff, rulebooks, today):
    from jinjie.people.models import Violation

    zhao = staff["zhao"]
    violation = Violation.objects.create(employee=zhao, date=date(2026, 10, 3), severity="较重", description="违规操作")
    client = client_for(Role.COMMITTEE)
    url = reverse("web:employee", args=[zhao.pk])
    assert "即时降档/降级" in client.get(url).content.decode()
    assert "即时降档/降级" not in client_for(Role.HR).get(url).content.decode()
    response = client.post(reverse("web:immediate_demotion", args=[zhao.pk]), {"violation": violation.pk, "to_level": "grade", "comment": "违规较重"})
    demotion = Proposal.objects.get(employee=zhao, kind="immediate")
    assert response.status_code == 302 and response["Location"] == reverse("web:proposal", args=[demotion.pk])
    assert (demotion.from_rank, demotion.to_rank) == ("初级B", "初级C")
    # The same violation cannot be used twice: refused with its reason, nothing new.
    again = client.post(reverse("web:immediate_demotion", args=[zhao.pk]), {"violation": violation.pk, "to_level": "level", "comment": "再次"}, follow=True)
    assert any("已用于即时降档/降级" in m or "尚未生效" in m for m in _messages(again))
    assert Proposal.objects.filter(employee=zhao, kind="immediate").count() == 1
    # HR and another city's committee cannot.
    assert client_for(Role.HR).post(reverse("web:immediate_demotion", args=[zhao.pk]), {"violation": violation.pk, "to_level": "grade", "comment": "x"}).status_code == 403
    assert client_for("committee_b").post(reverse("web:immediate_demotion", args=[zhao.pk]), {"violation": violation.pk, "to_level": "grade", "comment": "x"}).status_code == 404


def test_a_notice_is_drawn_up_for_one_kind_of_matter_at_a_time(client_for, evaluated, users, tree):
    """A notice of a rank promotion and a 专卖管理员 level together is refused (their notices say
    different things), so the page offers the candidates kind by kind, in tabs."""
    from bureau import make_employee

    from jinjie.evaluations.models import Move, Proposal, ProposalKind
    from jinjie.rulebooks.models import BookKind, RuleBook

    zhang = _to_notice(evaluated, users)
    level_holder = make_employee(tree["city_a"], "M001", "专管甲", track="专卖管理员", current_rank="初级专卖管理员")
    level = Proposal.objects.create(
        kind=ProposalKind.MONOPOLY, employee=level_holder, from_rank="初级专卖管理员", to_rank="中级专卖管理员",
        move=Move.GRANT, route=["committee", "notice"], rulebook=RuleBook.objects.get(kind=BookKind.MONOPOLY),
        state="in_review", step_index=1,
    )
    client = client_for(Role.COMMITTEE)
    first = client.get(reverse("web:notice_new")).content.decode()
    assert "张三" in first and "专管甲" not in first
    assert "?kind=monopoly" in first  # the other kind's tab
    levels = client.get(reverse("web:notice_new") + "?kind=monopoly").content.decode()
    assert "专管甲" in levels and "张三" not in levels
    junk = client.get(reverse("web:notice_new") + "?kind=nonsense").content.decode()
    assert "张三" in junk  # an unknown kind shows the first tab

    client.post(reverse("web:notice_new"), {"org_unit": tree["city_a"].pk, "kind": "monopoly", "ids": [level.pk]})
    assert _state(level) == "on_notice" and _state(zhang) == "in_review"
