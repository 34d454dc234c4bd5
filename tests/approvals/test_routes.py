"""Every route of SPEC 2.4, walked from submission to the rank change it causes."""

from datetime import date

import pytest

from jinjie.approvals.models import ApprovalStep
from jinjie.approvals.services import apply_due, notice_publish
from jinjie.people.models import RankChange

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "from_rank,to_rank,move,route",
    [
        ("初级B", "初级A", "grade_up", ["track_review"]),
        ("中级C", "中级B", "grade_up", ["committee", "leader"]),
        ("高级C", "高级B", "grade_up", ["committee", "leader"]),
        ("见习", "初级C", "level_up", ["track_review", "notice"]),
        ("初级A", "中级C", "level_up", ["committee", "leader", "notice"]),
        ("中级A", "高级C", "level_up", ["committee", "leader", "notice"]),
        ("中级C", "中级A", "skip_grade", ["committee", "leader", "notice"]),
        ("初级B", "中级C", "skip_level", ["committee", "director", "notice"]),
        ("中级B", "中级C", "grade_down", ["committee"]),
        ("中级B", "初级B", "level_down", ["committee"]),
    ],
)
@pytest.mark.parametrize("track", ["客户经理", "市场管理员"])
def test_a_route_is_walked_step_by_step_and_takes_effect_the_day_after_its_last_step(
    today, staff, units, employee, submitted, advance, from_rank, to_rank, move, route, track
):
    today(date(2026, 10, 8))
    emp = employee(rank=from_rank, track=track)
    p = submitted(emp, to_rank)
    assert (p.move, p.route) == (move, route)

    p = advance(p)
    if route[-1] == "notice":
        assert (p.state, p.step_index) == ("in_review", len(route) - 1)
        notice = notice_publish(org_unit=units["city"], proposals=[p], actor=staff["committee"])
        assert (notice.start_date, notice.end_date) == (date(2026, 10, 9), date(2026, 10, 15))
        p.refresh_from_db()
        assert p.state == "on_notice"
        assert apply_due(today=date(2026, 10, 15)).notices_closed == 0  # the notice's last day
        effective = date(2026, 10, 16)
    else:
        assert p.state == "approved"
        effective = date(2026, 10, 9)
    assert apply_due(today=date(2026, 10, 8)).applied == 0  # decided today, effective tomorrow at the earliest

    result = apply_due(today=effective)
    assert result.applied == 1
    p.refresh_from_db()
    assert (p.state, p.effective_date) == ("applied", effective)
    decided = list(ApprovalStep.objects.filter(proposal=p).values_list("step", "decision"))
    assert decided == [(step, "approve") for step in route]
    change = RankChange.objects.get(employee=emp)
    assert (change.from_rank, change.to_rank, change.effective_date) == (from_rank, to_rank, effective)
    assert (change.source, change.source_ref) == ("proposal", f"proposal:{p.pk}")
    emp.refresh_from_db()
    assert (emp.current_rank, emp.rank_since) == (to_rank, effective)


def test_the_system_records_the_end_of_a_notice_as_its_step(today, staff, units, employee, submitted, advance):
    today(date(2026, 10, 8))
    p = advance(submitted(employee(rank="见习"), "初级C"))
    notice_publish(org_unit=units["city"], proposals=[p], actor=staff["committee"])
    apply_due(today=date(2026, 10, 16))
    last = ApprovalStep.objects.filter(proposal=p).latest("sequence")
    assert (last.step, last.sequence, last.actor, last.decision) == ("notice", 2, None, "approve")
    assert "公示期满，无异议（2026-10-09 至 2026-10-15）" in last.comment
