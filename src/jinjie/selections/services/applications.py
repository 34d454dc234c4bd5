"""Applications (报名) and the qualification review (资格审查), SPEC 4.

- An employee of the selection's unit applies for one post while 报名 is open (to the deadline,
  inclusive) and is refused, with every failed criterion, when the check at the deadline fails.
  HR may apply on someone's behalf (组织推荐) and, only then or during the review, admit one
  failing criterion as 破格 with a written reason and a file.
- Withdrawal until the deadline.
- Closing 报名 freezes the automatic check of every application; HR then confirms or refuses
  each one with a reason (a refusal needs one; a confirmation needs the check passed or the one
  failed criterion admitted as 破格). After the review is complete, a change is a correction with
  its reason.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from jinjie.core.errors import NotPermitted
from jinjie.org import authority
from jinjie.org.models import User
from jinjie.people.models import Employee, Status
from jinjie.rules.criteria import Reason

from .. import attachments
from ..eligibility import check_employee, check_employees, reasons_json
from ..models import (
    Application,
    ApplicationEvent,
    Attachment,
    ExceptionalAdmission,
    Post,
    Review,
    Selection,
    SelectionState,
    Via,
)
from ..workflow import SelectionError, entry_mode
from ._common import candidate_subject, clean_text, lock, move, pk_of, today

S = SelectionState

__all__ = [
    "application_apply",
    "application_review",
    "application_withdraw",
    "applications_close",
    "exception_grant",
]


def _post_of(sel: Selection, post: Post | int) -> Post:
    found = Post.objects.filter(selection=sel, pk=pk_of(post, "职位")).first()
    if found is None:
        raise SelectionError("该竞聘没有这个职位")
    return found


def _application(application: Application | int) -> Application:
    pk = pk_of(application, "报名")
    found = Application.objects.select_related("employee", "post", "employee__org_unit").filter(pk=pk).first()
    if found is None:
        raise SelectionError(f"报名不存在：#{pk}")
    return found


def _note(text: str) -> str:
    # An event's note holds 2000 characters; the full reason is kept where it belongs (the
    # admission, the review) and the note is the dossier's line about it.
    return text if len(text) <= 2000 else text[:1999] + "…"


def _failed_text(failed) -> str:
    return "；".join(r.text for r in failed)


def _store_exception(sel: Selection, app: Application, *, actor: User, criterion: str, reason: str, upload, failed) -> ExceptionalAdmission:
    """破格 for the one failed criterion (checked by the caller); the file is written last and
    removed again if the database refuses the records."""
    if len(failed) != 1:
        raise SelectionError(f"破格只能放宽一项条件，该员工有 {len(failed)} 项不符合：{_failed_text(failed)}")
    (only,) = failed
    if criterion and criterion not in (only.code, only.code[:100]):
        raise SelectionError(f"不符合的条件是“{only.label}”，破格须针对该项")
    reason = clean_text(reason, "破格理由", required=True)
    attachments.check_upload(upload)
    stored = attachments.store(upload)
    try:
        with transaction.atomic():
            file = Attachment.objects.create(
                selection=sel, name=stored.name, stored_name=stored.stored_name, content_type=stored.kind.content_type,
                size=stored.size, sha256=stored.sha256, uploaded_by=actor,
            )
            admission = ExceptionalAdmission.objects.create(
                application=app, criterion=only.code[:100], criterion_label=only.label[:200], reason=reason, attachment=file,
                granted_by=actor,
            )
            ApplicationEvent.objects.create(
                application=app, event="exception", actor=actor,
                note=_note(f"破格：{only.text}；理由：{reason}；附件：{stored.name}"),
            )
    except IntegrityError:
        stored.discard()
        raise SelectionError(f"{app.employee.name} 已办理过破格") from None
    except BaseException:
        stored.discard()
        raise
    return admission


@transaction.atomic
def application_apply(
    *,
    selection: Selection | int,
    post: Post | int,
    employee: Employee | int,
    actor: User,
    exception_criterion: str = "",
    exception_reason: str = "",
    attachment=None,
) -> Application:
    """Apply for `post`. An employee for themselves; HR (组织推荐) for anyone of the unit, and with
    `exception_reason` + `attachment` for someone who fails exactly one criterion (破格)."""
    sel = lock(selection)
    post = _post_of(sel, post)
    person = Employee.objects.select_related("org_unit").filter(pk=pk_of(employee, "员工")).first()
    if person is None:
        raise SelectionError("员工不存在")
    authority.require(actor, "selections.apply", person)
    recommended = actor.employee_id != person.pk
    if recommended:
        authority.require(actor, "selections.manage", sel.org_unit)
    if sel.state != S.PUBLISHED:
        raise SelectionError(f"竞聘“{sel.code}”当前不在报名期")
    if today() > sel.deadline:
        raise SelectionError(f"报名已于 {sel.deadline} 截止")
    if person.status != Status.ACTIVE:
        raise SelectionError(f"{person.name} 不是在岗员工，不能报名")
    if not sel.org_unit.contains(person.org_unit):
        raise SelectionError(f"{person.name} 不是{sel.org_unit.name}的员工，不能报名本次竞聘")
    current = Application.objects.filter(selection=sel, employee=person, withdrawn_at__isnull=True).select_related("post").first()
    if current is not None:
        raise SelectionError(f"{person.name} 已报名“{current.post.title}”；每人只能报名一个职位，如需改报请先撤回")
    result = check_employee(sel, person)
    wants_exception = bool(exception_reason or attachment is not None or exception_criterion)
    if not result.passed and not (recommended and wants_exception):
        raise SelectionError(f"{person.name} 不符合报名条件：{_failed_text(result.failed)}")
    if wants_exception and not recommended:
        raise NotPermitted("破格须由人事部门在组织推荐时或资格审查时办理")
    if wants_exception and result.passed:
        raise SelectionError(f"{person.name} 符合全部报名条件，无需破格")
    try:
        with transaction.atomic():
            app = Application.objects.create(
                selection=sel, post=post, employee=person, via=Via.RECOMMENDED if recommended else Via.SELF,
                applied_by=actor,
            )
    except IntegrityError:
        raise SelectionError(f"{person.name} 已报名本次竞聘") from None
    how = "组织推荐" if recommended else "个人报名"
    verdict = "符合报名条件" if result.passed else f"不符合：{_failed_text(result.failed)}"
    ApplicationEvent.objects.create(application=app, event="apply", actor=actor, note=_note(f"{how}：{post.title}；{verdict}"))
    if wants_exception:
        _store_exception(
            sel, app, actor=actor, criterion=exception_criterion, reason=exception_reason, upload=attachment,
            failed=result.failed,
        )
    return app


@transaction.atomic
def application_withdraw(*, application: Application | int, actor: User, reason: str = "") -> Application:
    """Withdraw (撤回) until the deadline: the applicant, or HR for them."""
    found = _application(application)
    sel = lock(found.selection_id)
    app = Application.objects.select_for_update().select_related("employee", "post").get(pk=found.pk)
    authority.require(actor, "selections.apply", app.employee)
    if actor.employee_id != app.employee_id:
        authority.require(actor, "selections.manage", sel.org_unit)
    if app.withdrawn_at is not None:
        raise SelectionError("该报名已撤回")
    if sel.state != S.PUBLISHED or today() > sel.deadline:
        raise SelectionError(f"报名已于 {sel.deadline} 截止，不能再撤回")
    reason = clean_text(reason, "撤回原因", required=False)
    app.withdrawn_at = timezone.now()
    app.save(update_fields=["withdrawn_at"])
    ApplicationEvent.objects.create(application=app, event="withdraw", actor=actor, note=reason or "撤回报名")
    return app


@transaction.atomic
def applications_close(*, selection: Selection | int, actor: User) -> Selection:
    """After the deadline: close 报名 and freeze every application's check at the deadline."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    if sel.state == S.PUBLISHED and today() <= sel.deadline:
        raise SelectionError(f"报名截止日为 {sel.deadline}，截止日之后方可截止报名")
    apps = list(Application.objects.filter(selection=sel, withdrawn_at__isnull=True).order_by("pk"))
    results = check_employees(sel, [a.employee_id for a in apps]) if sel.state == S.PUBLISHED else {}
    now = timezone.now()
    events = []
    for app in apps:
        result = results.get(app.employee_id)
        if result is None:
            continue
        app.check_result, app.eligible, app.checked_at = reasons_json(result), result.passed, now
        verdict = "符合报名条件" if result.passed else f"不符合：{_failed_text(result.failed)}"
        events.append(ApplicationEvent(application=app, event="check", actor=None, note=_note(f"截止日 {sel.deadline} 自动核对：{verdict}")))
    passed = sum(1 for a in apps if a.eligible)
    move(sel, "close", actor=actor, note=f"有效报名 {len(apps)} 人，自动核对符合条件 {passed} 人")
    Application.objects.bulk_update(apps, ["check_result", "eligible", "checked_at"])
    ApplicationEvent.objects.bulk_create(events)
    return sel


def _covered(app: Application) -> bool:
    """The frozen check passed, or its one failed criterion was admitted as 破格."""
    if app.eligible:
        return True
    failed = [r for r in app.check_result if not r.get("passed")]
    admission = ExceptionalAdmission.objects.filter(application=app).first()
    return len(failed) == 1 and admission is not None and admission.criterion == str(failed[0].get("code"))[:100]


@transaction.atomic
def application_review(*, application: Application | int, actor: User, confirm: bool, reason: str = "") -> Application:
    """HR confirms (审查通过) or refuses (审查未通过, with the reason) one applicant."""
    found = _application(application)
    sel = lock(found.selection_id)
    app = Application.objects.select_for_update().select_related("employee", "post", "employee__org_unit").get(pk=found.pk)
    authority.require(actor, "selections.score", candidate_subject(sel, app))
    mode = entry_mode(sel, "review")
    if app.withdrawn_at is not None:
        raise SelectionError(f"{app.employee.name} 已撤回报名")
    if not isinstance(confirm, bool):
        raise SelectionError("请选择审查通过或不通过")
    reason = clean_text(reason, "审查意见", required=not confirm or mode == "correction", max_length=1000)
    if confirm and not _covered(app):
        failed = "；".join(r["text"] for r in app.check_result if not r.get("passed"))
        raise SelectionError(f"{app.employee.name} 截止日核对不符合报名条件（{failed}），须办理破格后方可通过")
    app.review = Review.CONFIRMED if confirm else Review.REFUSED
    app.review_reason = reason
    app.save(update_fields=["review", "review_reason"])
    what = "审查通过" if confirm else "审查未通过"
    prefix = "更正：" if mode == "correction" else ""
    ApplicationEvent.objects.create(
        application=app, event="confirm" if confirm else "refuse", actor=actor, note=_note(f"{prefix}{what}" + (f"；{reason}" if reason else "")),
    )
    return app


@transaction.atomic
def exception_grant(
    *, application: Application | int, actor: User, reason: str, attachment, criterion: str = ""
) -> ExceptionalAdmission:
    """破格 during 报名 (an application HR made) or the review: the applicant's one failed criterion
    is admitted, with a written reason and a file (PDF/PNG/JPEG)."""
    found = _application(application)
    sel = lock(found.selection_id)
    app = Application.objects.select_for_update().select_related("employee", "post").get(pk=found.pk)
    authority.require(actor, "selections.score", candidate_subject(sel, app))
    if sel.state not in (S.PUBLISHED, S.REVIEW):
        raise SelectionError("破格只能在报名期或资格审查期间办理")
    if app.withdrawn_at is not None:
        raise SelectionError(f"{app.employee.name} 已撤回报名")
    if ExceptionalAdmission.objects.filter(application=app).exists():
        raise SelectionError(f"{app.employee.name} 已办理过破格")
    if sel.state == S.REVIEW and app.checked_at is not None:
        failed = [Reason(**r) for r in app.check_result if not r.get("passed")]
    else:
        failed = list(check_employee(sel, app.employee).failed)
    if not failed:
        raise SelectionError(f"{app.employee.name} 符合全部报名条件，无需破格")
    return _store_exception(sel, app, actor=actor, criterion=criterion, reason=reason, upload=attachment, failed=failed)
