"""我的职业发展: the employee's rank, pay and the exact gap to the next grade and level."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.org.models import Role
from jinjie.people.models import RankChange

from .conftest import give_scores, make_employee, make_user

pytestmark = pytest.mark.django_db


def test_the_gap_lists_each_unmet_criterion_with_what_is_missing(rulebooks, tree, today):
    # 初级A with everything for 中级C but the training score (65 < 70) and the ability score.
    e = make_employee(tree["county_a"], "A010", "孙七", current_rank="初级A", role_start_date=date(2024, 4, 1),
                      education="大专", vocational_level="四级")
    give_scores(e, (88, 87, 86), training=65)
    user = make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=e)
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = client.get(reverse("web:career")).content.decode()
    assert "晋升至 中级C" in page
    assert "还差：培训成绩 65 &lt; 70" in page
    assert "还差：缺少综合能力测评" in page
    assert "尚差 2 项" in page
    # The criteria that hold are listed as met, not as missing.
    assert "还差：平均绩效" not in page


def test_the_page_shows_rank_pay_and_rank_history(client_for, staff, rulebooks, today):
    RankChange.objects.create(employee=staff["zhang"], effective_date=date(2025, 7, 1), from_rank="初级B", to_rank="初级A",
                              reason="2025Q2 测评晋档")
    page = client_for(Role.EMPLOYEE).get(reverse("web:career")).content.decode()
    assert 'id="current-rank">初级A<' in page
    assert "2,800.00 元" in page  # 2000 × 1.4
    assert "2025Q2 测评晋档" in page
    assert "初级B → 初级A" in page  # the pay change of that rank change


def test_an_employee_sees_the_open_notices_of_their_unit(client_for, evaluated, users, today):
    from jinjie.approvals.services import notice_publish, proposal_decide, proposal_submit

    p = evaluated["A001"]
    proposal_submit(proposals=[p], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=p, actor=users[Role.COMMITTEE], decision="approve")
    proposal_decide(proposal=p, actor=users[Role.LEADER], decision="approve")
    notice = notice_publish(org_unit=p.employee.org_unit.parent, proposals=[p], actor=users[Role.COMMITTEE])
    page = client_for("employee_zhao").get(reverse("web:career")).content.decode()
    assert notice.title in page
    # Another city's employee does not see it.
    assert notice.title not in client_for("employee_wang").get(reverse("web:career")).content.decode()
    assert client_for("employee_wang").get(reverse("web:notice", args=[notice.pk])).status_code == 404
