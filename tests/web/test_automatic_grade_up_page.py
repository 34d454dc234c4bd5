"""The proposal page and the published standard say when a grade-up is automatic (自动晋档)."""

import copy
from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.services import proposal_submit
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


def test_an_automatic_grade_up_says_so_on_its_page_and_in_the_standard(client_for, users, staff, rulebooks, today):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["routes"]["grade_up:初级"] = []
    rulebook_publish(book=rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2026, 1, 1)))
    evaluation_run(period="2026Q3", org_unit=None)
    zhao = Proposal.objects.get(employee=staff["zhao"])
    proposal_submit(proposals=[zhao], actor=users[Role.COMMITTEE])

    page = client_for(Role.COMMITTEE).get(reverse("web:proposal", args=[zhao.pk])).content.decode()
    assert "自动晋档：评定标准规定晋档无需审批" in page
    assert "待生效" in page and "2026-10-10" in page  # approved on 2026-10-09, effective the day after
    book = RuleBook.objects.get(kind=BookKind.LADDER, version=2)
    standard = client_for(Role.EMPLOYEE).get(reverse("web:rulebook", args=[book.pk])).content.decode()
    assert "自动晋档(无需审批)" in standard
