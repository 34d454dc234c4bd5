"""The demo's 专卖管理员 applications (SPEC 3.1), made through the services as people would.

Two rounds of 临江市局, HR's:
- one that closed a few days ago (opened 40 days before the demo's day, closed 5 days before,
  checked at the close by `apply-due`): seven colleagues of yuangong3 applied; one's 双能 rating
  was corrected before the close (资格审查未通过), 专卖监督管理科 rejected one (未通过), the
  committee approved one (waiting for its 公示), one waits for the committee, one for the review;
- one open now (opening 中级 and 高级, checked on the demo's day): three applied, one withdrew, and
  yuangong3 has not applied yet — the walk of the README applies as them.

The applicants are the demo's "monopoly_peer" employees (demo.generate), whose data meets the
conditions of 中级专卖管理员; an applicant who does not on an odd date (the 双能 year turns over
early in January) is left out rather than failing the demo. A fixed number of people and bulk
services: the queries do not grow with the size of the bureau.
"""

from __future__ import annotations

from datetime import date, timedelta

from jinjie.applications.eligibility import assess
from jinjie.applications.services import (
    application_review,
    application_withdraw,
    applications_apply_batch,
    round_open,
    rounds_close_due,
)
from jinjie.approvals.services import proposal_decide
from jinjie.org.models import OrgUnit, User
from jinjie.people.models import AnnualKind, AnnualRating, Employee
from jinjie.rulebooks.services import rulebook_load_defaults

from .bureau import CITY
from .generate import MONOPOLY_PEER, case_numbers

__all__ = ["demo_applications"]


def _peers(plan) -> list[Employee]:
    numbers = case_numbers(plan, MONOPOLY_PEER)
    return list(Employee.objects.filter(employee_no__in=numbers).select_related("org_unit").order_by("employee_no"))


def _qualified(round, people: list[Employee]) -> list[Employee]:
    found = assess(round, people)
    return [e for e in people if found[e.pk].ok]


def demo_applications(*, today: date, plan) -> dict[str, int]:
    """Create the two rounds and their applications; returns rows written per table (Chinese)."""
    # The rounds are checked against the published standards: the defaults where none is yet
    # (what `jinjie init` loads; idempotent).
    rulebook_load_defaults()
    logins = {u.username: u for u in User.objects.filter(username__in=["hr", "zhuanmai", "weiyuanhui"])}
    hr, reviewer, committee = logins["hr"], logins["zhuanmai"], logins["weiyuanhui"]
    city = OrgUnit.objects.get(path__endswith=f"/{CITY}")
    peers = _peers(plan)

    # The round that closed five days ago.
    opens, closes = today - timedelta(days=40), today - timedelta(days=5)
    past = round_open(
        actor=hr, title=f"{closes.year}年专卖管理员等级申报（第一批）", org_unit=city, levels=["中级专卖管理员"],
        opens=opens, closes=closes, today=opens,
    )
    applicants = _qualified(past, peers[:5])
    applied = applications_apply_batch(actor=hr, round=past, employees=applicants, today=opens + timedelta(days=3))
    if applied:
        # A corrected 双能 rating arrived before the close: this application fails the check.
        AnnualRating.objects.filter(
            employee=applied[0].employee, kind=AnnualKind.SHUANGNENG, year=past.check_date.year - 1
        ).update(rating="合格")
    rounds_close_due(today=closes + timedelta(days=1))
    checked = list(past.applications.filter(state="checked").select_related("employee").order_by("pk"))
    marks = {"manual.1": True, "manual.2": True}
    if checked:
        application_review(actor=reviewer, application=checked[0], items={"manual.1": True, "manual.2": False},
                           comment="客户服务技能有待提高，建议下一批次再申报")
    reviewed = [application_review(actor=reviewer, application=a, items=marks, comment="日常专卖管理工作表现良好")
                for a in checked[1:3]]
    if reviewed:
        proposal_decide(proposal=reviewed[0].proposal, actor=committee, decision="approve", comment="符合申报条件，同意")

    # The round open now: yuangong3 may apply.
    now = round_open(
        actor=hr, title=f"{today.year}年专卖管理员等级申报（第二批）", org_unit=city,
        levels=["中级专卖管理员", "高级专卖管理员"], opens=today, closes=today + timedelta(days=30),
        check_date=today, today=today,
    )
    again = [checked[0].employee] if checked else []  # rejected at the review: may apply again
    fresh = _qualified(now, again + peers[5:])
    applied_now = applications_apply_batch(actor=hr, round=now, employees=fresh, today=today) if fresh else []
    if len(applied_now) > 1:
        application_withdraw(actor=hr, application=applied_now[-1], today=today)
    return {"申报批次": 2, "专卖管理员等级申报": len(applied) + len(applied_now)}
