"""Rounds (申报批次, SPEC 3.1): HR opens one; closing it — early by HR, or by `apply-due` the day
after its window — checks every application again at the check date and freezes the result."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command

from jinjie.applications.models import Application, ApplicationRound, ApplicationTransition
from jinjie.applications.selectors import round_counts
from jinjie.applications.services import application_apply, round_close, round_open, rounds_close_due
from jinjie.applications.workflow import ApplicationError
from jinjie.core.errors import NotPermitted
from jinjie.interchange.services import import_file
from jinjie.people.models import AnnualRating

pytestmark = pytest.mark.django_db


def test_hr_opens_a_round_with_the_check_date_defaulting_to_the_close(round_, tree, logins):
    assert round_.levels == ["中级专卖管理员", "高级专卖管理员"]
    assert (round_.opens, round_.closes, round_.check_date) == (date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 31))
    assert round_.created_by == logins["hr"] and round_.closed_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "请填写批次名称"),
        ({"levels": []}, "请至少开放一个等级"),
        ({"levels": ["中级专卖管理员", "超级专卖管理员"]}, "未知的专卖管理员等级：超级专卖管理员"),
        ({"opens": date(2026, 11, 2)}, "晚于截止日期"),
        ({"closes": date(2026, 10, 1), "opens": date(2026, 9, 1)}, "已过，不能发起"),
        ({"check_date": date(2026, 11, 30)}, "不能晚于申报截止日期"),
    ],
)
def test_a_bad_round_is_refused_and_nothing_is_stored(tree, logins, today, changes, message):
    values = dict(
        actor=logins["hr"], title="批次", org_unit=tree["city_a"], levels=["中级专卖管理员"],
        opens=date(2026, 10, 1), closes=date(2026, 10, 31),
    )
    with pytest.raises(ApplicationError, match=message):
        round_open(**(values | changes))
    assert not ApplicationRound.objects.exists()


def test_only_hr_opens_rounds_and_only_for_its_subtree(tree, logins, today):
    for actor, unit in ((logins["committee"], tree["city_a"]), (logins["hr"], tree["city_b"]), (logins["hr"], tree["province"])):
        with pytest.raises(NotPermitted):
            round_open(actor=actor, title="批次", org_unit=unit, levels=["中级专卖管理员"],
                       opens=date(2026, 10, 1), closes=date(2026, 10, 31))


def _apply_three(round_, people, logins):
    return [application_apply(actor=logins["hr"], round=round_, employee=people[k]) for k in ("li", "zhou", "wu")]


def test_hr_closes_early_and_every_application_is_checked_and_frozen(round_, people, logins, today):
    li, zhou, wu = _apply_three(round_, people, logins)
    # Between applying and closing, a corrected 双能 rating comes in for 周.
    AnnualRating.objects.filter(employee=people["zhou"]).update(rating="合格")
    result = round_close(actor=logins["hr"], round=round_)
    assert (result.checked, result.ineligible) == (2, 1)
    round_.refresh_from_db()
    assert (round_.closed_on, round_.closed_by) == (date(2026, 10, 12), logins["hr"])
    for a in (li, zhou, wu):
        a.refresh_from_db()
    assert (li.state, zhou.state, wu.state) == ("checked", "ineligible", "checked")
    failed = [c for c in zhou.checks if not c["ok"]]
    assert [(c["code"], c["required"], c["actual"]) for c in failed] == [("shuangneng", "≥ 良好", "合格")]
    assert zhou.checked_at is not None and zhou.rulebook.kind == "monopoly"
    note = ApplicationTransition.objects.filter(application=zhou).last().note
    assert "人事劳资截止" in note and "还差：上年度专卖双能 合格 < 良好" in note
    counts = round_counts([round_.pk])[round_.pk]
    assert (counts["checked"], counts["ineligible"], counts["submitted"]) == (2, 1, 0)
    with pytest.raises(ApplicationError, match="已于 2026-10-12 截止"):
        round_close(actor=logins["hr"], round=round_)
    with pytest.raises(ApplicationError, match="截止申报"):
        application_apply(actor=logins["hr"], round=round_, employee=people["wang"])


def test_a_fact_imported_after_closing_does_not_change_the_frozen_result(round_, people, logins):
    a = application_apply(actor=logins["li"], round=round_, employee=people["li"])
    round_close(actor=logins["hr"], round=round_)
    a.refresh_from_db()
    frozen = a.checks
    assert a.state == "checked"
    upload = BytesIO("\ufeff工号,年度,类别,等次\r\nM001,2025,专卖双能,不合格\r\n".encode())
    result = import_file(kind="annual", path_or_fileobj=upload, filename="双能更正.csv")
    assert result.ok and result.updated == 1
    a.refresh_from_db()
    assert (a.state, a.checks) == ("checked", frozen)
    assert next(c for c in a.checks if c["code"] == "shuangneng")["actual"] == "良好"


def test_apply_due_closes_a_round_from_the_day_after_its_window_and_only_once(round_, people, logins):
    _apply_three(round_, people, logins)
    assert rounds_close_due(today=date(2026, 10, 31)) == []
    (result,) = rounds_close_due(today=date(2026, 11, 1))
    assert (result.checked, result.ineligible) == (3, 0)
    round_.refresh_from_db()
    assert (round_.closed_on, round_.closed_by) == (date(2026, 11, 1), None)
    assert "申报期满" in ApplicationTransition.objects.filter(event="pass").first().note
    assert rounds_close_due(today=date(2026, 11, 2)) == []
    assert ApplicationTransition.objects.filter(event="pass").count() == 3


def test_the_apply_due_command_closes_rounds_and_applies_proposals(round_, people, logins):
    _apply_three(round_, people, logins)
    text = StringIO()
    call_command("apply_due", "--date", "2026-11-01", stdout=text)
    assert "资格审查通过 3 人" in text.getvalue() and "公示期满 0 项，生效 0 项" in text.getvalue()
    assert set(Application.objects.values_list("state", flat=True)) == {"checked"}
    again = StringIO()
    call_command("apply_due", "--date", "2026-11-01", stdout=again)
    assert "资格审查通过" not in again.getvalue() and "公示期满 0 项" in again.getvalue()
