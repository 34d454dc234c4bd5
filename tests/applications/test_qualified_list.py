"""合格人员名单 of a big round (SPEC 3.1): computed over the round's subtree by a job and read from
its snapshot, which must list exactly what the live checks list; who has applied is read live;
the page's queries do not grow with the number of 专卖管理员."""

from datetime import date

import pytest
from bureau import make_employee
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.applications.models import Application, QualifiedSnapshot
from jinjie.applications.selectors import (
    qualified_for_round,
    qualified_listing,
    standing_applications,
    standing_q,
)
from jinjie.applications.services import (
    application_apply,
    application_withdraw,
    applications_apply_batch,
    qualified_compute,
)
from jinjie.core.errors import DomainError
from jinjie.people.models import AnnualRating, PostAssignment

from .conftest import monopoly_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings):
    """Every round is "big": the page reads the snapshot."""
    settings.JINJIE_QUALIFIED_LIVE_MAX = 0


def _mixed(tree, people):
    """Besides `people`: one short of 双能, one holding a management post, one whose next level the
    round does not open, one not in the track, one on leave."""
    a = tree["county_a"]
    short = monopoly_admin(a, "M004", "缺双能")
    AnnualRating.objects.filter(employee=short).update(rating="合格")
    post = monopoly_admin(a, "M005", "有职务")
    PostAssignment.objects.create(employee=post, post="副科长", org_unit=a, start_date=date(2025, 1, 1))
    monopoly_admin(a, "M006", "见习人", held=())  # next: 初级, not opened by the round
    make_employee(a, "C001", "客户经理甲")
    monopoly_admin(a, "M007", "离岗人", status="离岗")


def _seen(listing):
    return [(q.employee.employee_no, q.level) for q in listing.qualified], listing.applied, listing.not_qualified


def test_the_snapshot_lists_exactly_what_the_live_checks_list(round_, people, logins, tree, settings):
    _mixed(tree, people)
    application_apply(actor=logins["hr"], round=round_, employee=people["zhou"])
    live = qualified_for_round(round=round_, user=logins["hr"])
    assert live.live and [q.employee.employee_no for q in live.qualified] == ["M001", "M003"]
    assert (live.applied, live.not_qualified) == (1, 3)

    settings.JINJIE_QUALIFIED_LIVE_MAX = 0
    assert qualified_listing(round=round_, user=logins["hr"]).computed_at is None  # not computed yet
    assert qualified_listing(round=round_, user=logins["hr"]).qualified == ()
    snapshot = qualified_compute(actor=logins["hr"], round=round_)
    stored = qualified_listing(round=round_, user=logins["hr"])
    assert not stored.live and stored.computed_at == snapshot.computed_at and stored.computed_by == logins["hr"]
    assert _seen(stored) == _seen(live)
    # Scoped like the live list: 乙市局's HR sees none of 甲市局's people.
    assert _seen(qualified_listing(round=round_, user=logins["hr_b"])) == _seen(
        qualified_for_round(round=round_, user=logins["hr_b"])
    ) == ([], 0, 0)


def test_applying_and_withdrawing_show_at_once_without_recomputing(big, round_, people, logins):
    qualified_compute(actor=logins["hr"], round=round_)
    assert _seen(qualified_listing(round=round_, user=logins["hr"]))[0] == [
        ("M001", "中级专卖管理员"), ("M002", "中级专卖管理员"), ("M003", "中级专卖管理员")
    ]
    applied = applications_apply_batch(actor=logins["hr"], round=round_, employees=[people["li"], people["wu"]])
    assert _seen(qualified_listing(round=round_, user=logins["hr"])) == ([("M002", "中级专卖管理员")], 2, 0)
    application_withdraw(actor=logins["hr"], application=applied[0])
    assert _seen(qualified_listing(round=round_, user=logins["hr"]))[:2] == ([("M001", "中级专卖管理员"), ("M002", "中级专卖管理员")], 1)
    assert _seen(qualified_listing(round=round_, user=logins["hr"])) == _seen(qualified_for_round(round=round_, user=logins["hr"]))


def test_changed_facts_show_after_a_recompute_and_the_page_says_when_it_was_computed(big, round_, people, logins):
    first = qualified_compute(actor=logins["hr"], round=round_)
    AnnualRating.objects.filter(employee=people["zhou"]).update(rating="合格")
    # Until recomputed, the list is the one computed at `computed_at` (the page says so) …
    assert [q.employee.employee_no for q in qualified_listing(round=round_, user=logins["hr"]).qualified] == ["M001", "M002", "M003"]
    # … except for who has left the track or active service since: never offered.
    people["wu"].status = "离岗"
    people["wu"].save()
    assert [q.employee.employee_no for q in qualified_listing(round=round_, user=logins["hr"]).qualified] == ["M001", "M002"]
    second = qualified_compute(actor=logins["hr"], round=round_)
    assert second.computed_at >= first.computed_at and QualifiedSnapshot.objects.count() == 1
    listing = qualified_listing(round=round_, user=logins["hr"])
    assert _seen(listing) == _seen(qualified_for_round(round=round_, user=logins["hr"])) == ([("M001", "中级专卖管理员")], 0, 1)


def test_only_who_manages_the_rounds_unit_computes_it(big, round_, logins):
    with pytest.raises(DomainError):
        qualified_compute(actor=logins["hr_b"], round=round_)
    assert not QualifiedSnapshot.objects.exists()


def test_a_small_round_is_checked_live(round_, people, logins):
    qualified_compute(actor=logins["hr"], round=round_)
    application_apply(actor=logins["hr"], round=round_, employee=people["zhou"])
    AnnualRating.objects.filter(employee=people["li"]).update(rating="合格")
    listing = qualified_listing(round=round_, user=logins["hr"])
    assert listing.live and _seen(listing) == ([("M003", "中级专卖管理员")], 1, 1)


def _reading_queries(round_, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        listing = qualified_listing(round=round_, user=user)
        [(q.employee.name, q.employee.org_unit.name) for q in listing.qualified]
    return len(ctx.captured_queries)


def test_reading_the_snapshot_costs_the_same_queries_for_ten_or_a_hundred(big, round_, people, logins, tree):
    qualified_compute(actor=logins["hr"], round=round_)
    few = _reading_queries(round_, logins["hr"])
    for n in range(100):
        monopoly_admin(tree["county_a"] if n % 2 else tree["city_a"], f"N{n:03d}")
    qualified_compute(actor=logins["hr"], round=round_)
    applications_apply_batch(actor=logins["hr"], round=round_, employees=[people["li"], people["zhou"]])
    listing = qualified_listing(round=round_, user=logins["hr"])
    assert len(listing.qualified) == 101 and listing.applied == 2
    assert _reading_queries(round_, logins["hr"]) == few <= 9


def test_standing_q_is_the_rule_of_standing_applications(round_, people, logins):
    """Both say which applications still stand; the snapshot's page uses the filter."""
    applied = applications_apply_batch(actor=logins["hr"], round=round_, employees=[people["li"], people["zhou"], people["wu"]])
    application_withdraw(actor=logins["hr"], application=applied[1])
    Application.objects.filter(pk=applied[2].pk).update(state="ineligible")
    ids = [p.pk for p in people.values()]
    by_filter = set(Application.objects.filter(standing_q(), employee_id__in=ids).values_list("employee_id", flat=True))
    assert by_filter == set(standing_applications(ids, round_)) == {people["li"].pk}
