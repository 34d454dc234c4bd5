"""待我审批: exactly the proposals whose current step the user may decide (the same answer as
checks.may_decide), sorted by unit, move, name or days waiting; and the next one after a decision."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from jinjie.approvals.checks import may_decide
from jinjie.approvals.queue import QueueFilters, days_waiting, my_queue, next_in_queue
from jinjie.approvals.services import proposal_decide
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(today, user, units, staff, employee, proposal, submitted, advance):
    """Proposals at every kind of step, in and out of the city, and one about a committee member."""
    made = [
        submitted(employee(rank="初级B", track="客户经理"), "初级A"),  # track_review (客户经理)
        submitted(employee(rank="初级B", track="市场管理员"), "初级A"),  # track_review (市场管理员)
        submitted(employee(rank="中级C"), "中级B"),  # committee
        submitted(employee(rank="中级C", unit="city"), "中级B"),  # committee, the city office
        submitted(employee(rank="初级B"), "中级C", route=["committee", "director", "notice"]),  # → director
        submitted(employee(rank="初级A"), "中级C"),  # → notice
        submitted(employee(rank="中级C", unit="other"), "中级B", by="other_committee"),  # another city
        proposal(employee(rank="中级C"), "中级B"),  # a draft
    ]
    proposal_decide(proposal=made[4], actor=staff["committee"], decision="approve")
    advance(made[5])
    member = employee("委员本人", rank="中级C")
    made.append(submitted(member, "中级B"))  # the committee member's own: 回避
    return made, user("委员本人", Role.COMMITTEE, employee=member)


def test_the_queue_is_exactly_what_the_user_may_decide(staff, mixed):
    made, member = mixed
    everyone = [*staff.values(), member]
    seen = 0
    for who in everyone:
        expected = {p.pk for p in Proposal.objects.select_related("employee").filter(pk__in=[m.pk for m in made])
                    if may_decide(who, p)}
        assert {p.pk for p in my_queue(user=who)} == expected, who.username
        seen += len(expected)
    assert seen >= 6  # the test saw something in several queues
    assert made[8].pk not in {p.pk for p in my_queue(user=member)}  # never one's own
    assert [p.pk for p in my_queue(user=staff["director"])] == [made[4].pk]


def test_the_queue_sorts_by_unit_move_name_and_days_waiting(today, staff, employee, submitted):
    a = submitted(employee("乙", rank="中级C", unit="county"), "中级B")  # grade_up, 青山县局
    b = submitted(employee("甲", rank="初级A", unit="city"), "中级C")  # level_up, 临江市局
    c = submitted(employee("丙", rank="中级B", unit="county"), "中级C", route=["committee"])  # grade_down
    waited = {a.pk: 1, b.pk: 9, c.pk: 4}  # days since each reached the committee
    now = timezone.now()
    for pk, days in waited.items():
        Proposal.objects.filter(pk=pk).update(updated_at=now - timedelta(days=days))
    committee = staff["committee"]

    def order(sort):
        return [p.pk for p in my_queue(user=committee, filters=QueueFilters(sort=sort))]

    assert order("waiting") == [b.pk, c.pk, a.pk]  # longest waiting first
    assert order("unit") == [b.pk, *sorted([a.pk, c.pk], key=lambda pk: Proposal.objects.get(pk=pk).employee.employee_no)]
    assert order("move") == [a.pk, b.pk, c.pk]  # 晋档, 晋级, 降档: SPEC 2.3's order
    assert order("name") == sorted([a.pk, b.pk, c.pk], key=lambda pk: Proposal.objects.get(pk=pk).employee.name)
    assert order("nonsense") == order("waiting")
    assert [p.pk for p in my_queue(user=committee, filters=QueueFilters(move="level_up"))] == [b.pk]
    today_ = timezone.localdate()
    assert [days_waiting(p, today_) for p in my_queue(user=committee)] == [9, 4, 1]


def test_days_waiting_count_whole_days_in_shanghai():
    p = Proposal(updated_at=timezone.make_aware(datetime(2026, 10, 8, 23, 30)))
    assert days_waiting(p, date(2026, 10, 8)) == 0
    assert days_waiting(p, date(2026, 10, 11)) == 3


def test_the_next_one_after_a_decision(staff, employee, submitted):
    first = submitted(employee(rank="中级C"), "中级B")
    second = submitted(employee(rank="中级C"), "中级B")
    committee = staff["committee"]
    assert next_in_queue(user=committee, after=first.pk).pk == second.pk
    proposal_decide(proposal=first, actor=committee, decision="approve")
    proposal_decide(proposal=second, actor=committee, decision="approve")
    assert next_in_queue(user=committee, after=second.pk) is None
