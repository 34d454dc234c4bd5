"""The messages after an act say what happens next, so nobody has to open the proposal to find out."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.services import proposal_decide, proposal_submit
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_each_decision_says_where_the_proposal_went(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    response = client_for(Role.COMMITTEE).post(reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve"}, follow=True)
    (text,) = _messages(response)
    assert text.startswith("已同意：张三（初级A → 中级C）。下一环节：") and "由分局(公司)领导审批" in text
    response = client_for(Role.LEADER).post(reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve"}, follow=True)
    assert "下一步：由考评委员会发布公示，公示期满无异议后生效" in _messages(response)[0]


def test_a_batch_counts_where_its_proposals_went(client_for, evaluated, users, today):
    zhang, zhao = evaluated["A001"], evaluated["A002"]
    response = client_for(Role.COMMITTEE).post(
        reverse("web:proposals_batch"), {"ids": [zhang.pk, zhao.pk], "decision": "submit"}, follow=True
    )
    assert "已提交审批 2 条建议：2 条转入下一环节。" in _messages(response)
    response = client_for(Role.TRACK_REVIEWER).post(
        reverse("web:proposals_batch"), {"ids": [zhao.pk], "decision": "approve"}, follow=True
    )
    assert "已同意 1 条建议：1 条审批通过待生效。" in _messages(response)
    today(date(2026, 10, 9))
    response = client_for(Role.TRACK_REVIEWER).get(reverse("web:proposal", args=[zhao.pk]))
    assert "2026-10-10" in response.content.decode()


def test_a_rejection_says_the_rank_stays(client_for, evaluated, users):
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve")
    response = client_for(Role.LEADER).post(reverse("web:proposal_decide", args=[zhang.pk]),
                                            {"decision": "reject", "comment": "材料不全"}, follow=True)
    assert _messages(response) == ["已不同意：张三（初级A → 中级C）。未通过，职级不变。"]
