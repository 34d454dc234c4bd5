"""HR drafts and publishes a selection; employees apply, are refused with reasons, withdraw; HR
applies on someone's behalf and admits one failing criterion as 破格 with a reason and a file;
closing 报名 freezes the check; HR confirms or refuses each applicant (SPEC 4)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selection_world import CLOSED_DAY, DEADLINE, add_violation, apply

from jinjie.core.errors import NotPermitted
from jinjie.selections import services as sv
from jinjie.selections.models import (
    Application,
    ApplicationEvent,
    Attachment,
    ExceptionalAdmission,
    Post,
    Review,
    Selection,
    SelectionTransition,
)
from jinjie.selections.workflow import SelectionError

PDF = b"%PDF-1.4\n% test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="破格说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- posting ---------------------------------------------------------------------------------------


def test_a_draft_takes_the_spec_defaults_and_the_next_code_of_the_year(world, draft):
    assert draft.code == "JP2026-001" and draft.state == "draft"
    assert draft.criteria[1] == {"type": "service_months", "op": ">=", "value": "36"}
    assert draft.scheme["weights"] == {"written": "0.30", "speech": "0.40", "democratic": "0.30"}
    assert draft.notice_days == 5
    assert [(p.title, p.places) for p in draft.posts.order_by("order")] == [("客服部主任", 1), ("订单部主任", 1)]
    second = sv.selection_create(
        actor=world.users["hr"], org_unit=world.tree["city_a"], title="第二批", deadline=DEADLINE,
        posts=[{"title": "物流部主任"}],
    )
    assert second.code == "JP2026-002"
    assert list(SelectionTransition.objects.filter(selection=draft).values_list("event", flat=True)) == ["create"]


def test_weights_that_do_not_sum_to_one_are_refused_and_nothing_is_written(world):
    with pytest.raises(SelectionError, match="三项权重之和应为 1"):
        sv.selection_create(
            actor=world.users["hr"], org_unit=world.tree["city_a"], title="竞聘", deadline=DEADLINE,
            posts=[{"title": "主任"}], scheme={"weights": {"written": "0.3", "speech": "0.4", "democratic": "0.4"}},
        )
    assert not Selection.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"posts": []}, "请至少设置一个竞聘职位"),
        ({"posts": [{"title": "主任"}, {"title": "主任"}]}, "重复"),
        ({"posts": [{"title": "主任", "places": 0}]}, "职数应为"),
        ({"criteria": [{"type": "perf_avg", "op": ">=", "value": "80"}]}, "报名条件有误"),
        ({"notice_days": 3}, "任前公示期应为 5–60 个工作日"),
        ({"deadline": "2026-02-30"}, "报名截止日期格式"),
        ({"code": "竞聘一号"}, "竞聘编号只能由字母"),
    ],
)
def test_a_bad_posting_is_refused_in_chinese(world, change, message):
    values = dict(title="竞聘", deadline=DEADLINE, posts=[{"title": "主任"}]) | change
    with pytest.raises(SelectionError, match=message):
        sv.selection_create(actor=world.users["hr"], org_unit=world.tree["city_a"], **values)
    assert not Selection.objects.exists()


def test_only_hr_of_the_unit_drafts_a_selection(world):
    for key in ("leader", "committee", "zhang"):
        with pytest.raises(NotPermitted):
            sv.selection_create(actor=world.users[key], org_unit=world.tree["city_a"], title="竞聘", deadline=DEADLINE, posts=[{"title": "主任"}])
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        sv.selection_create(actor=world.users["hr_b"], org_unit=world.tree["city_a"], title="竞聘", deadline=DEADLINE, posts=[{"title": "主任"}])


def test_a_draft_is_edited_until_it_is_published_then_never(world, draft):
    sv.selection_update(selection=draft, actor=world.users["hr"], posts=[{"title": "物流部主任", "places": 2}], notice_days=7)
    draft.refresh_from_db()
    assert [(p.title, p.places) for p in draft.posts.all()] == [("物流部主任", 2)] and draft.notice_days == 7
    sv.selection_publish(selection=draft, actor=world.users["hr"])
    with pytest.raises(SelectionError, match="已发布"):
        sv.selection_update(selection=draft, actor=world.users["hr"], title="改名")


def test_a_posting_whose_deadline_has_passed_is_not_published(world, draft, today):
    today(date(2026, 7, 1))
    with pytest.raises(SelectionError, match="已过"):
        sv.selection_publish(selection=draft, actor=world.users["hr"])
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_selection_is_cancelled_only_with_a_reason(world, published):
    with pytest.raises(SelectionError, match="请填写终止理由"):
        sv.selection_cancel(selection=published, actor=world.users["hr"], reason=" ")
    sv.selection_cancel(selection=published, actor=world.users["hr"], reason="机构调整，岗位取消")
    published.refresh_from_db()
    assert published.state == "cancelled"
    assert SelectionTransition.objects.filter(selection=published, event="cancel").get().note == "机构调整，岗位取消"


# --- applying --------------------------------------------------------------------------------------


def test_an_eligible_employee_applies_for_one_post(world, published, posts):
    app = apply(world, published, "zhang", posts["客服部主任"])
    assert (app.via, app.review, app.applied_by) == ("self", "pending", world.users["zhang"])
    assert ApplicationEvent.objects.get(application=app).note == "个人报名：客服部主任；符合报名条件"
    with pytest.raises(SelectionError, match="每人只能报名一个职位"):
        apply(world, published, "zhang", posts["订单部主任"])


def test_an_ineligible_employee_is_refused_with_every_failed_criterion(world, published, posts):
    add_violation(world.people["li"], date(2026, 3, 1))
    with pytest.raises(SelectionError) as refused:
        apply(world, published, "li", posts["客服部主任"])
    assert "不符合报名条件：较重及以上违规 1 次 ≠ 0 次 ✗" in str(refused.value)
    assert not Application.objects.exists()


def test_employees_apply_only_for_themselves_and_only_in_their_unit(world, published, posts):
    with pytest.raises(NotPermitted):
        sv.application_apply(selection=published, post=posts["客服部主任"], employee=world.people["li"], actor=world.users["zhang"])
    with pytest.raises(NotPermitted):  # 乙市局's HR cannot reach 甲市局's employee
        sv.application_apply(selection=published, post=posts["客服部主任"], employee=world.people["li"], actor=world.users["hr_b"])
    with pytest.raises(SelectionError, match="不是甲市局的员工"):
        sv.application_apply(selection=published, post=posts["客服部主任"], employee=world.people["other"], actor=world.users["other"])
    assert not Application.objects.exists()


def test_applying_is_open_from_publication_to_the_deadline_inclusive(world, draft, posts, today):
    with pytest.raises(SelectionError, match="不在报名期"):
        apply(world, draft, "zhang", posts["客服部主任"])
    sv.selection_publish(selection=draft, actor=world.users["hr"])
    today(DEADLINE)
    apply(world, draft, "zhang", posts["客服部主任"])
    today(CLOSED_DAY)
    with pytest.raises(SelectionError, match="报名已于 2026-06-30 截止"):
        apply(world, draft, "li", posts["客服部主任"])


def test_withdrawal_until_the_deadline_then_never(world, published, posts, today):
    app = apply(world, published, "zhang", posts["客服部主任"])
    sv.application_withdraw(application=app, actor=world.users["zhang"], reason="个人原因")
    app = apply(world, published, "zhang", posts["订单部主任"])  # withdrawn, applies again
    today(CLOSED_DAY)
    with pytest.raises(SelectionError, match="不能再撤回"):
        sv.application_withdraw(application=app, actor=world.users["zhang"])
    assert Application.objects.filter(employee=world.people["zhang"]).count() == 2


def test_hr_recommends_an_eligible_employee(world, published, posts):
    app = sv.application_apply(selection=published, post=posts["订单部主任"], employee=world.people["qian"], actor=world.users["hr"])
    assert app.via == "recommended"
    assert ApplicationEvent.objects.get(application=app).note.startswith("组织推荐：订单部主任")


def test_hr_admits_one_failing_criterion_as_an_exception_with_a_reason_and_a_file(world, published, posts, settings):
    app = sv.application_apply(
        selection=published, post=posts["客服部主任"], employee=world.people["sun"], actor=world.users["hr"],
        exception_reason="业绩突出，获省局表彰", attachment=pdf(),
    )
    admission = ExceptionalAdmission.objects.get(application=app)
    assert (admission.criterion, admission.reason) == ("rank", "业绩突出，获省局表彰")
    stored = admission.attachment
    assert (stored.name, stored.content_type, stored.size) == ("破格说明.pdf", "application/pdf", len(PDF))
    path = settings.MEDIA_ROOT / "selections" / stored.stored_name
    assert path.read_bytes() == PDF and "破格" not in stored.stored_name  # a random name, not the upload's
    assert [e.event for e in ApplicationEvent.objects.filter(application=app)] == ["apply", "exception"]


def test_an_exception_needs_a_reason_a_real_file_and_one_failing_criterion(world, published, posts, settings):
    sun, zhou = world.people["sun"], world.people["zhou"]
    cases = [
        (sun, {"exception_reason": "", "attachment": pdf()}, "请填写破格理由"),
        (sun, {"exception_reason": "理由", "attachment": None}, "请上传附件"),
        (sun, {"exception_reason": "理由", "attachment": pdf("说明.pdf", b"MZ\x90\x00 not a pdf")}, "按文件内容判断"),
        (sun, {"exception_reason": "理由", "attachment": pdf("图.png", PNG[:4])}, "按文件内容判断"),
        (zhou, {"exception_reason": "理由", "attachment": pdf()}, "只能放宽一项条件，该员工有 2 项不符合"),
    ]
    for employee, extra, message in cases:
        with pytest.raises(SelectionError, match=message):
            sv.application_apply(selection=published, post=posts["客服部主任"], employee=employee, actor=world.users["hr"], **extra)
    settings.JINJIE_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(SelectionError, match="附件不能超过"):
        sv.application_apply(
            selection=published, post=posts["客服部主任"], employee=sun, actor=world.users["hr"], exception_reason="理由",
            attachment=pdf(content=PDF + b"x" * 200),
        )
    assert not Application.objects.exists() and not Attachment.objects.exists()
    assert not list((settings.MEDIA_ROOT / "selections").glob("*")) if (settings.MEDIA_ROOT / "selections").exists() else True


def test_a_file_too_large_for_its_declared_size_is_stopped_while_it_streams(world, published, posts, settings):
    settings.JINJIE_ATTACHMENT_MAX_BYTES = 100

    class Lying(io.BytesIO):
        name = "说明.pdf"
        size = 10  # what the client claimed

    with pytest.raises(SelectionError, match="附件不能超过"):
        sv.application_apply(
            selection=published, post=posts["客服部主任"], employee=world.people["sun"], actor=world.users["hr"],
            exception_reason="理由", attachment=Lying(PDF + b"x" * 500),
        )
    assert not list((settings.MEDIA_ROOT / "selections").glob("*"))


def test_an_employee_cannot_grant_themselves_an_exception(world, published, posts):
    with pytest.raises(SelectionError, match="不符合报名条件"):
        sv.application_apply(
            selection=published, post=posts["客服部主任"], employee=world.people["sun"], actor=world.users["sun"],
            exception_reason="理由", attachment=pdf(),
        )


# --- closing and the review ------------------------------------------------------------------------


def test_closing_freezes_the_check_at_the_deadline(world, published, posts, today):
    zhang = apply(world, published, "zhang", posts["客服部主任"])
    li = apply(world, published, "li", posts["客服部主任"])
    # A serious violation dated before the deadline, recorded after li applied: the frozen check sees it.
    add_violation(world.people["li"], date(2026, 6, 20), "严重")
    with pytest.raises(SelectionError, match="截止日之后方可截止报名"):
        sv.applications_close(selection=published, actor=world.users["hr"])
    today(CLOSED_DAY)
    sv.applications_close(selection=published, actor=world.users["hr"])
    zhang.refresh_from_db()
    li.refresh_from_db()
    assert zhang.eligible is True and len(zhang.check_result) == 6
    assert li.eligible is False
    assert [r["text"] for r in li.check_result if not r["passed"]] == ["较重及以上违规 1 次 ≠ 0 次 ✗"]
    published.refresh_from_db()
    assert published.state == "review"
    # A violation recorded now changes nothing frozen.
    add_violation(world.people["zhang"], date(2026, 6, 25), "严重")
    zhang.refresh_from_db()
    assert zhang.eligible is True


def test_hr_confirms_or_refuses_each_applicant_with_a_reason(world, published, posts, today):
    zhang = apply(world, published, "zhang", posts["客服部主任"])
    li = apply(world, published, "li", posts["客服部主任"])
    add_violation(world.people["li"], date(2026, 6, 20))
    today(CLOSED_DAY)
    sv.applications_close(selection=published, actor=world.users["hr"])
    hr = world.users["hr"]
    with pytest.raises(SelectionError, match="须办理破格后方可通过"):
        sv.application_review(application=li, actor=hr, confirm=True)
    with pytest.raises(SelectionError, match="请填写审查意见"):
        sv.application_review(application=li, actor=hr, confirm=False)
    with pytest.raises(SelectionError, match="还有 2 人未作资格审查"):
        sv.stage_complete(selection=published, actor=hr, stage="review")
    sv.application_review(application=zhang, actor=hr, confirm=True)
    sv.application_review(application=li, actor=hr, confirm=False, reason="近一年内有较重违规")
    li.refresh_from_db()
    assert (li.review, li.review_reason) == (Review.REFUSED, "近一年内有较重违规")
    sv.stage_complete(selection=published, actor=hr, stage="review")
    # Locked: a change of mind is a correction, with its reason.
    with pytest.raises(SelectionError, match="请填写审查意见"):
        sv.application_review(application=zhang, actor=hr, confirm=True)
    sv.application_review(application=zhang, actor=hr, confirm=False, reason="更正：学历证书经核查为伪造")
    assert ApplicationEvent.objects.filter(application=zhang, event="refuse").get().note.startswith("更正：审查未通过")


def test_an_exception_during_the_review_lets_hr_confirm(world, published, posts, today):
    li = apply(world, published, "li", posts["客服部主任"])
    add_violation(world.people["li"], date(2026, 6, 20))
    today(CLOSED_DAY)
    sv.applications_close(selection=published, actor=world.users["hr"])
    sv.exception_grant(application=li, actor=world.users["hr"], reason="违规系系统误记，已更正", attachment=pdf("证明.png", PNG))
    sv.application_review(application=li, actor=world.users["hr"], confirm=True)
    li.refresh_from_db()
    assert li.review == Review.CONFIRMED
    assert li.exception.criterion == "serious_violations" and li.exception.attachment.content_type == "image/png"


def test_nobody_reviews_their_own_application(world, published, posts, today):
    world.users["hr"].employee = world.people["qian"]
    world.users["hr"].save()
    app = sv.application_apply(selection=published, post=posts["订单部主任"], employee=world.people["qian"], actor=world.users["hr"])
    today(CLOSED_DAY)
    sv.applications_close(selection=published, actor=world.users["hr"])
    with pytest.raises(NotPermitted, match="回避"):
        sv.application_review(application=app, actor=world.users["hr"], confirm=True)
    sv.application_review(application=app, actor=world.users["hr2"], confirm=True)


def test_a_long_reason_is_kept_whole_where_it_belongs(world, published, posts):
    reason = "理由" * 1000  # 2000 characters, the longest a reason may be
    app = sv.application_apply(
        selection=published, post=posts["客服部主任"], employee=world.people["sun"], actor=world.users["hr"],
        exception_reason=reason, attachment=pdf(),
    )
    assert app.exception.reason == reason
    note = ApplicationEvent.objects.get(application=app, event="exception").note
    assert len(note) == 2000 and note.endswith("…")
