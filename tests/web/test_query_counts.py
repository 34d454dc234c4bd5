"""The busy pages cost a handful of queries whatever the number of rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinjie.approvals.services import proposal_submit
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role

from .conftest import give_scores, make_employee

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def _grade_ups_in_review(tree, committee, prefix, n):
    """n more 初级B employees who qualify for 初级A, evaluated and submitted (track_review next)."""
    for i in range(n):
        give_scores(make_employee(tree["county_a"], f"{prefix}{i:04d}", f"员工{prefix}{i}"), (85, 86, 84), training=70)
    evaluation_run(period="2026Q3", org_unit=tree["city_a"])
    drafts = list(Proposal.objects.filter(state="draft").values_list("pk", flat=True))
    proposal_submit(proposals=drafts, actor=committee)


def test_the_proposal_list_does_not_grow_with_its_rows(client_for, users, rulebooks, tree, today):
    client = client_for(Role.COMMITTEE)
    _grade_ups_in_review(tree, users[Role.COMMITTEE], "Q", 3)
    few = _queries(client, reverse("web:proposals"), {"period": "2026Q3"})
    _grade_ups_in_review(tree, users[Role.COMMITTEE], "R", 45)
    many = _queries(client, reverse("web:proposals"), {"period": "2026Q3"})
    assert many <= few + 1, (few, many)


def test_the_home_page_of_a_decider_does_not_grow_with_the_queue(client_for, users, rulebooks, tree, today):
    client = client_for(Role.TRACK_REVIEWER)
    _grade_ups_in_review(tree, users[Role.COMMITTEE], "Q", 3)
    few = _queries(client, "/")
    _grade_ups_in_review(tree, users[Role.COMMITTEE], "R", 30)
    many = _queries(client, "/")
    assert many <= few + 1, (few, many)
