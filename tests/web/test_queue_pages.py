"""待我审批 on the pages: the queue with its sort and page size, "同意并处理下一条", its export, and the
committee's home prompting the quarter not yet evaluated."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinjie.approvals.models import ApprovalStep
from jinjie.approvals.services import proposal_submit
from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role
from jinjie.people.models import TrainingRecord

from .conftest import make_employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(evaluated, users, tree):
    """张三 (level_up) and three more level-ups of 甲县局, submitted: all at the committee's step."""
    extra = []
    for i, name in enumerate(("孙一", "周二", "吴三")):
        e = make_employee(tree["county_a"], f"A10{i}", name, current_rank="初级A", role_start_date=date(2024, 4, 1),
                          education="大专", vocational_level="四级")
        for month, score in zip(("2026-07", "2026-08", "2026-09"), (88, 87, 86), strict=True):
            MonthlyScore.objects.create(employee=e, month=month, score=Decimal(score))
        TrainingRecord.objects.create(employee=e, date=date(2026, 6, 1), kind="考试", score=Decimal(75))
        extra.append(e)
    for e in extra:
        AbilityScore.objects.create(employee=e, period="2026Q3", score=Decimal(72))
    evaluation_run(period="2026Q3", org_unit=tree["city_a"])
    level_ups = list(Proposal.objects.filter(move="level_up", employee__org_unit=tree["county_a"]).order_by("pk"))
    proposal_submit(proposals=level_ups, actor=users[Role.COMMITTEE])
    # They reached the committee 5, 3, 8 and 1 days ago.
    now = timezone.now()
    for p, days in zip(level_ups, (5, 3, 8, 1), strict=True):
        Proposal.objects.filter(pk=p.pk).update(updated_at=now - timedelta(days=days))
    return level_ups


def test_the_queue_lists_the_users_steps_sorted_and_paged(client_for, queued, today):
    today(timezone.localdate())
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:queue")).content.decode()
    names = [p.employee.name for p in queued]
    order = [names[2], names[0], names[1], names[3]]  # 8, 5, 3, 1 days
    positions = [page.index(n) for n in order]
    assert positions == sorted(positions)
    assert "8 天" in page and "1 天" in page
    by_name = client.get(reverse("web:queue"), {"sort": "name"}).content.decode()
    assert [by_name.index(n) for n in sorted(names)] == sorted(by_name.index(n) for n in names)
    paged = client.get(reverse("web:queue"), {"per": "20"})
    assert paged.context["page"].paginator.per_page == 20
    junk = client.get(reverse("web:queue"), {"per": "7", "sort": "x", "unit": "abc"})
    assert junk.status_code == 200 and junk.context["page"].paginator.per_page == 50
    # Nothing at the leader's step yet.
    assert "目前没有待您审批的建议" in client_for(Role.LEADER).get(reverse("web:queue")).content.decode()
    assert client_for(Role.HR).get(reverse("web:queue")).status_code == 403


def test_approve_and_next_walks_the_queue_then_returns_to_it(client_for, queued):
    client = client_for(Role.COMMITTEE)
    first = queued[2]  # the longest waiting
    page = client.get(reverse("web:proposal", args=[first.pk]), {"queue": "sort=waiting"}).content.decode()
    assert "同意并处理下一条" in page
    response = client.post(reverse("web:proposal_decide", args=[first.pk]),
                           {"decision": "reject", "comment": "", "queue": "sort=waiting", "and_next": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:proposal", args=[queued[0].pk]) + "?queue=sort%3Dwaiting"
    assert ApprovalStep.objects.get(proposal=first).decision == "approve"  # 同意, whatever the radio said
    for p in (queued[0], queued[1]):
        client.post(reverse("web:proposal_decide", args=[p.pk]), {"decision": "approve", "queue": "sort=waiting", "and_next": "1"})
    last = client.post(reverse("web:proposal_decide", args=[queued[3].pk]),
                       {"decision": "approve", "queue": "sort=waiting", "and_next": "1"}, follow=True)
    assert last.redirect_chain[-1][0].startswith(reverse("web:queue"))
    assert "待您审批的建议已全部处理完毕" in last.content.decode()
    assert ApprovalStep.objects.filter(proposal__in=queued).count() == 4


def test_the_queue_exports_to_excel(client_for, queued):
    response = client_for(Role.COMMITTEE).get(reverse("web:queue_export"), {"sort": "name"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    assert rows[0][0] == "employee_no" and len(rows) == 5
    assert [r[1] for r in rows[1:]] == sorted(p.employee.name for p in queued)


def test_the_committee_home_prompts_the_quarter_not_yet_evaluated(client_for, users, staff, rulebooks, today, tree):
    today(date(2026, 10, 9))
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:home")).content.decode()
    assert "2026Q3 尚未测评" in page
    assert "/periods/?period=2026Q3" in page
    evaluation_run(period="2026Q3", org_unit=tree["city_a"])
    assert "尚未测评" not in client.get(reverse("web:home")).content.decode()
    # 乙市局's committee still has it to do.
    assert "2026Q3 尚未测评" in client_for("committee_b").get(reverse("web:home")).content.decode()


@pytest.mark.parametrize("junk", ["unit=99999999999999999999", "%%%", "sort=../&per=x", "x" * 5000, "unit=-1&move=nonsense"])
def test_a_junk_queue_parameter_falls_back_to_the_default_queue(client_for, queued, junk):
    client = client_for(Role.COMMITTEE)
    response = client.get(reverse("web:proposal", args=[queued[0].pk]), {"queue": junk})
    assert response.status_code == 200
    assert 'name="queue" value="sort=waiting"' in response.content.decode()


@pytest.mark.parametrize("sort", ["waiting", "unit", "move", "name"])
def test_a_page_is_the_queues_ids_in_its_order_then_those_rows_read(client_for, queued, users, sort):
    from jinjie.approvals.queue import QueueFilters, my_queue, queue_rows

    response = client_for(Role.COMMITTEE).get(reverse("web:queue"), {"sort": sort})
    shown = [row["p"] for row in response.context["rows"]]
    queue = my_queue(user=users[Role.COMMITTEE], filters=QueueFilters(sort=sort))
    assert [p.pk for p in shown] == list(queue.values_list("pk", flat=True)) and len(shown) == 4
    assert all("reasons" in p.get_deferred_fields() for p in shown)  # the list reads no reasons
    # One decided between the page's two queries is left out; the others keep their order.
    ids = [p.pk for p in shown]
    Proposal.objects.filter(pk=ids[1]).update(state="approved")
    assert [p.pk for p in queue_rows(queue, ids)] == [ids[0], *ids[2:]]
