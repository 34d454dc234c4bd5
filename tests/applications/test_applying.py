"""Applying (申报, SPEC 3.1): inside the window, the next level only, once per round, no management
post; a failing application is refused at once with every unmet condition and stores nothing."""

from datetime import date

import pytest

from jinjie.applications.models import Application, ApplicationTransition
from jinjie.applications.services import (
    application_apply,
    application_withdraw,
    applications_apply_batch,
    round_close,
)
from jinjie.applications.workflow import ApplicationError
from jinjie.core.errors import BatchRefused, NotPermitted
from jinjie.people.models import AnnualRating, PostAssignment

pytestmark = pytest.mark.django_db


def test_an_employee_applies_for_the_next_level_and_the_conditions_are_kept(round_, people, logins):
    a = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    assert (a.state, a.level, a.employee, a.applied_by) == ("submitted", "中级专卖管理员", people["li"], logins["li"])
    codes = [c["code"] for c in a.checks]
    assert {"experience", "pay_grade", "level_exam", "law_cert", "shuangneng", "management_post"} <= set(codes)
    assert all(c["ok"] for c in a.checks) and a.rulebook.kind == "monopoly"
    assert [m["code"] for m in a.manual_items] == ["manual.1", "manual.2"]
    (entry,) = ApplicationTransition.objects.filter(application=a)
    assert (entry.event, entry.to_state, entry.actor) == ("apply", "submitted", logins["li"])


def test_a_failing_condition_stores_nothing_and_every_unmet_one_is_named(round_, people, logins):
    li = people["li"]
    li.pay_grade = 10
    li.save()
    AnnualRating.objects.filter(employee=li).delete()
    with pytest.raises(ApplicationError) as refused:
        application_apply(actor=logins["li"], round=round_, employee=li)
    message = str(refused.value)
    assert message.startswith("李专管 不能申报中级专卖管理员，还差：")
    assert "工资档次 10 档 > 9 档" in message
    assert "缺少上年度专卖双能考核等次" in message
    assert not Application.objects.exists() and not ApplicationTransition.objects.exists()


def test_a_second_application_in_the_same_round_is_refused(round_, people, logins):
    application_apply(actor=logins["li"], round=round_, employee=people["li"])
    for actor in (logins["li"], logins["hr"]):
        with pytest.raises(ApplicationError, match="一个批次只能申报一次"):
            application_apply(actor=actor, round=round_, employee=people["li"])
    assert Application.objects.count() == 1


def test_after_withdrawing_inside_the_window_one_may_apply_again(round_, people, logins):
    first = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    application_withdraw(actor=logins["li"], application=first)
    again = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    assert sorted(Application.objects.values_list("state", flat=True)) == ["submitted", "withdrawn"]
    assert again.pk != first.pk


def test_withdrawal_after_the_window_is_refused(round_, people, logins, today):
    a = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    today(date(2026, 11, 1))
    with pytest.raises(ApplicationError, match="已于 2026-10-31 截止，不能再撤回"):
        application_withdraw(actor=logins["li"], application=a)
    a.refresh_from_db()
    assert a.state == "submitted"


def test_withdrawal_after_hr_closed_the_round_early_is_refused(round_, people, logins):
    a = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    round_close(actor=logins["hr"], round=round_)
    with pytest.raises(ApplicationError):
        application_withdraw(actor=logins["li"], application=a)
    a.refresh_from_db()
    assert a.state == "checked"


def test_only_the_next_level_may_be_applied_for(round_, people, logins):
    with pytest.raises(ApplicationError, match="只能逐级申报：李专管 可申报的下一等级为中级专卖管理员，不是高级专卖管理员"):
        application_apply(actor=logins["li"], round=round_, employee=people["li"], level="高级专卖管理员")
    assert not Application.objects.exists()


def test_a_level_the_round_does_not_open_is_refused(round_, logins, tree):
    from .conftest import monopoly_admin

    newcomer = monopoly_admin(tree["county_a"], "M009", "新专管", held=())
    with pytest.raises(ApplicationError, match="本批次未开放初级专卖管理员的申报"):
        application_apply(actor=logins["hr"], round=round_, employee=newcomer)


def test_no_application_while_holding_a_management_post(round_, people, logins, tree):
    PostAssignment.objects.create(employee=people["li"], post="客服部主任", org_unit=tree["city_a"], start_date=date(2026, 3, 1))
    with pytest.raises(ApplicationError, match="担任客服部主任（2026-03-01 起），担任管理岗位期间不能申报"):
        application_apply(actor=logins["li"], round=round_, employee=people["li"])
    assert not Application.objects.exists()


def test_outside_the_window_nobody_applies(round_, people, logins, today):
    today(date(2026, 9, 30))
    with pytest.raises(ApplicationError, match="尚未开始"):
        application_apply(actor=logins["li"], round=round_, employee=people["li"])
    today(date(2026, 11, 1))
    with pytest.raises(ApplicationError, match="已于 2026-10-31 截止"):
        application_apply(actor=logins["li"], round=round_, employee=people["li"])
    assert not Application.objects.exists()


def test_hr_applies_on_behalf_inside_its_subtree_only(round_, people, logins):
    a = application_apply(actor=logins["hr"], round=round_, employee=people["zhou"])
    assert a.applied_by == logins["hr"]
    assert "代为申报" in ApplicationTransition.objects.get(application=a).note
    with pytest.raises(NotPermitted):
        application_apply(actor=logins["hr_b"], round=round_, employee=people["li"])
    with pytest.raises(NotPermitted):
        application_apply(actor=logins["li"], round=round_, employee=people["wu"])
    with pytest.raises(NotPermitted):
        application_apply(actor=logins["committee"], round=round_, employee=people["wu"])
    assert Application.objects.count() == 1


def test_someone_outside_the_rounds_subtree_cannot_apply_in_it(round_, people, logins):
    with pytest.raises(ApplicationError, match="不在本批次范围"):
        application_apply(actor=logins["wang"], round=round_, employee=people["wang"])


def test_a_record_whose_rank_disagrees_with_the_levels_held_is_refused_before_anything_is_stored(round_, people, logins):
    li = people["li"]
    li.current_rank = "见习"
    li.save()
    with pytest.raises(ApplicationError, match="档案中的当前职级为“见习”，与已取得的专卖管理员等级（初级专卖管理员）不一致"):
        application_apply(actor=logins["li"], round=round_, employee=li)


def test_hr_applies_for_a_chosen_set_all_or_nothing(round_, people, logins):
    done = applications_apply_batch(actor=logins["hr"], round=round_, employees=[people["li"], people["zhou"]])
    assert sorted(a.employee.name for a in done) == ["周专管", "李专管"]
    assert all(a.pk for a in done)
    assert ApplicationTransition.objects.count() == 2
    with pytest.raises(BatchRefused) as refused:
        applications_apply_batch(actor=logins["hr"], round=round_, employees=[people["wu"], people["li"]])
    assert [pk for pk, _ in refused.value.errors] == [people["li"].pk]
    assert Application.objects.count() == 2  # 吴 was not applied for either
