"""个人发展计划 and 导师制 (SPEC 5): versions kept and comparable, the gap's unmet criteria as actions,
comments by the mentor or unit leader; the mentor reads rank, gap and plan only while paired."""

from datetime import date

import pytest

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.development.models import MentorRating, PlanVersion
from jinjie.development.selectors.mentors import mentee_view
from jinjie.development.selectors.plans import compare_versions, plan_versions
from jinjie.development.services import (
    meeting_record,
    mentorship_create,
    mentorship_end,
    plan_add_gap_actions,
    plan_comment,
    plan_save,
    rating_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(users, staff, today):
    return mentorship_create(mentor=staff["sun"], mentee=staff["zhang"], start_date=date(2026, 9, 1),
                             end_date=date(2027, 8, 31), goals="达到中级C的任职条件", actor=users["hr"])


def test_add_from_my_gap_turns_each_unmet_criterion_into_an_action(users, staff):
    version = plan_add_gap_actions(employee=staff["zhang"], actor=users["zhang"])
    # 张三 (case C) lacks the months in role for 中级C: 30 of 36
    assert [(a["source"], a["status"]) for a in version.actions] == [("gap:months_in_role", "todo")]
    assert "本岗位任职月数" in version.actions[0]["text"] and "中级C" in version.actions[0]["text"]
    with pytest.raises(DomainError, match="没有可添加的新行动"):
        plan_add_gap_actions(employee=staff["zhang"], actor=users["zhang"])


def test_every_save_is_a_version_and_two_can_be_compared(users, staff):
    plan_save(employee=staff["zhang"], actor=users["zhang"], target_rank="中级C", target_date="2027-06-30",
              goals="两年内晋级", actions=[{"text": "营销培训", "status": "todo"}])
    plan_save(employee=staff["zhang"], actor=users["hr"], target_rank="中级C", target_date="2027-06-30",
              goals="两年内晋级", actions=[{"text": "营销培训", "status": "done", "evidence": "结业证书"}, {"text": "考四级"}])
    v2, v1 = plan_versions(employee=staff["zhang"])
    assert (v1.number, v2.number, v2.saved_by, v1.actions[0]["status"]) == (1, 2, users["hr"], "todo")
    diff = compare_versions(v1, v2)
    assert [x["text"] for x in diff["added"]] == ["考四级"]
    assert [(a["status"], b["status"]) for a, b in diff["changed"]] == [("todo", "done")]
    with pytest.raises(Exception):  # noqa: B017 - the database refuses any change to a saved version
        PlanVersion.objects.filter(pk=v1.pk).update(goals="改写历史")


@pytest.mark.parametrize(("action", "message"), [
    ({"text": ""}, "请填写第 1 项行动的内容"), ({"text": "x", "status": "maybe"}, "状态应为"),
    ({"text": "x", "due": "2026-02-30"}, "完成期限格式应为"),
])
def test_a_bad_action_is_refused_in_chinese(users, staff, action, message):
    with pytest.raises(DomainError, match=message):
        plan_save(employee=staff["zhang"], actor=users["zhang"], actions=[action])
    assert not PlanVersion.objects.exists()


def test_only_the_employee_and_hr_edit_the_plan(users, staff):
    for who in ("zhao", "leader", "sun", "hr_b"):
        with pytest.raises(NotPermitted):
            plan_save(employee=staff["zhang"], actor=users[who], goals="x")


def test_the_mentor_and_the_leader_comment_others_may_not(users, staff, pairing):
    plan_save(employee=staff["zhang"], actor=users["zhang"], goals="目标")
    assert plan_comment(employee=staff["zhang"], actor=users["sun"], text="先补任职年限").capacity == "导师"
    assert plan_comment(employee=staff["zhang"], actor=users["leader"], text="同意").capacity == "分局(公司)领导"
    for who in ("zhao", "zhang", "committee"):
        with pytest.raises(NotPermitted):
            plan_comment(employee=staff["zhang"], actor=users[who], text="x")


def test_the_mentor_reads_rank_gap_and_plan_only_while_paired(users, staff, pairing, today, web, api):
    plan_save(employee=staff["zhang"], actor=users["zhang"], goals="目标", actions=[{"text": "学习"}])
    view = mentee_view(user=users["sun"], mentorship=pairing)
    assert (view.employee.current_rank, view.plan.number, view.gap.targets[0].target) == ("初级A", 1, "中级C")
    assert web("sun").get(f"/plans/{staff['zhang'].pk}/").status_code == 200
    mentee = api("sun").get(f"/api/mentorships/{pairing.pk}/mentee/").json()
    assert set(mentee) == {"employee_no", "name", "current_rank", "gap", "plan"}  # nothing else of theirs
    # not someone else's plan
    assert web("sun").get(f"/plans/{staff['zhao'].pk}/").status_code == 404
    # after the pairing: nothing
    mentorship_end(mentorship=pairing, actor=users["hr"], on=date(2026, 10, 9))
    today(date(2026, 10, 10))
    with pytest.raises(NotPermitted):
        mentee_view(user=users["sun"], mentorship=pairing)
    assert web("sun").get(f"/plans/{staff['zhang'].pk}/").status_code == 404
    assert api("sun").get(f"/api/mentorships/{pairing.pk}/mentee/").status_code == 403
    with pytest.raises(NotPermitted):
        plan_comment(employee=staff["zhang"], actor=users["sun"], text="x")


def test_a_mentor_is_intermediate_or_above_or_a_leader(users, staff, tree):
    with pytest.raises(DomainError, match="导师应为中级及以上职级或领导"):
        mentorship_create(mentor=staff["zhao"], mentee=staff["zhang"], start_date="2026-10-01", end_date="2027-09-30",
                          goals="x", actor=users["hr"])
    with pytest.raises(DomainError, match="同一人"):
        mentorship_create(mentor=staff["sun"], mentee=staff["sun"], start_date="2026-10-01", end_date="2027-09-30",
                          goals="x", actor=users["hr"])
    with pytest.raises(NotPermitted):
        mentorship_create(mentor=staff["sun"], mentee=staff["wang"], start_date="2026-10-01", end_date="2027-09-30",
                          goals="x", actor=users["hr"])


def test_meetings_by_the_mentor_and_one_rating_per_side_at_the_end(users, staff, pairing, today):
    meeting_record(mentorship=pairing, actor=users["sun"], date="2026-10-08", notes="讨论任职年限")
    with pytest.raises(NotPermitted):
        meeting_record(mentorship=pairing, actor=users["zhang"], date="2026-10-08", notes="x")
    with pytest.raises(DomainError, match="届时才能评价"):
        rating_submit(mentorship=pairing, actor=users["zhang"], score=5)
    today(date(2027, 8, 31))
    rating_submit(mentorship=pairing, actor=users["zhang"], score=5, comment="收获很大")
    rating_submit(mentorship=pairing, actor=users["sun"], score="4")
    with pytest.raises(DomainError, match="已评价过"):
        rating_submit(mentorship=pairing, actor=users["sun"], score=3)
    with pytest.raises(DomainError, match="1 到 5"):
        rating_submit(mentorship=pairing, actor=users["zhang"], score=6)
    with pytest.raises(NotPermitted):
        rating_submit(mentorship=pairing, actor=users["zhao"], score=3)
    assert sorted(MentorRating.objects.values_list("side", "score")) == [("mentee", 5), ("mentor", 4)]
