"""专卖管理员等级申报 (SPEC 3.1): rounds, a round's applications, one application, applying.

What a user sees is applications.selectors' to say (rounds covering or inside their subtree,
applications in scope); what they may do, applications.checks and the services'. A refusal comes
back as its Chinese message (shows_refusals) and nothing is written.
"""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.applications.checks import may_close, may_review, may_withdraw, window_refusal
from jinjie.applications.form_pdf import render_application_pdf
from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.selectors import (
    STATUS_LABELS,
    application_get,
    application_history,
    applications_for,
    qualified_listing,
    round_counts,
    round_get,
    round_status,
    status_detail,
    status_of,
    visible_rounds,
)
from jinjie.applications.services import (
    application_apply,
    application_review,
    application_withdraw,
    applications_apply_batch,
    round_close,
    round_open,
)
from jinjie.applications.workflow import EVENT_LABELS, state_label
from jinjie.approvals import clock
from jinjie.approvals.checks import decidable_ids
from jinjie.approvals.selectors import notice_candidates
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.interchange.applications_export import export_applications
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from ..access import may, requires
from ..forms_applications import ApplyOnBehalfForm, EmployeeIdsForm, ReviewForm, RoundForm
from ..refusals import shows_refusals
from ..templatetags.applications_web import STATUS_STYLE
from .common import go, paginate, refused
from .jobs import start


def _round(request, pk: int) -> ApplicationRound:
    try:
        return round_get(pk=pk, user=request.user)
    except ApplicationRound.DoesNotExist:
        raise Http404(gettext("没有找到该申报批次，或不在您的数据范围内")) from None


def _application(request, pk: int) -> Application:
    try:
        return application_get(pk=pk, user=request.user)
    except Application.DoesNotExist:
        raise Http404(gettext("没有找到该申报，或不在您的数据范围内")) from None


def _errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


# --- rounds ----------------------------------------------------------------------------------------


@requires("rounds.read")
@require_GET
def rounds(request):
    today = clock.today()
    page = paginate(request, visible_rounds(user=request.user), 20)
    shown = list(page.object_list)
    counts = round_counts([r.pk for r in shown], user=request.user)
    rows = [
        {"r": r, "status": round_status(r, today),
         "counts": [(code, STATUS_LABELS[code], n) for code, n in counts[r.pk].items() if n]}
        for r in shown
    ]
    return render(request, "web/applications/rounds.html", {
        "page": page, "rows": rows, "may_manage": may(request.user, "rounds.manage"),
    })


@requires("rounds.manage")
@require_http_methods(["GET", "POST"])
def round_new(request):
    form = RoundForm(request.POST or None, user=request.user, initial={"org_unit": request.user.org_unit_id})
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data
        try:
            created = round_open(
                actor=request.user, title=f["title"], org_unit=f["org_unit"], levels=f["levels"], opens=f["opens"],
                closes=f["closes"], check_date=f["check_date"],
            )
        except NotPermitted:
            raise
        except DomainError as e:  # shown on the form, nothing stored
            form.add_error(None, str(e))
        else:
            messages.success(request, gettext("已发起申报批次“%(title)s”，申报时间 %(opens)s 至 %(closes)s。") % {"title": created.title, "opens": created.opens, "closes": created.closes})
            return go(request, reverse("web:round", args=[created.pk]))
    return render(request, "web/applications/round_new.html", {"form": form})


def _committee_rows(request, shown: list[Application]) -> set[int]:
    proposals = [a.proposal for a in shown if a.proposal_id]
    return decidable_ids(request.user, proposals) if proposals else set()


def _detail(application) -> str:
    """status_detail in the page's language: "审批中（考评委员会）" is a status and a step."""
    text = status_detail(application)
    label, paren, rest = text.partition("（")
    if not paren:
        return gettext(label)
    return gettext("%(label)s（%(step)s）") % {"label": gettext(label), "step": gettext(rest.removesuffix("）"))}


@requires("rounds.read")
@require_GET
def round_detail(request, pk: int):
    r = _round(request, pk)
    today = clock.today()
    status = request.GET.get("status") if request.GET.get("status") in STATUS_LABELS else ""
    # The list shows names, states and unmet conditions: the proposal's reasons (about 2 KB each) and
    # the review's texts are read on the application's page.
    qs = applications_for(user=request.user, round=r, status=status or None).select_related(
        "proposal__employee__org_unit"
    ).defer("manual_items", "marks", "review_comment", "proposal__reasons", "proposal__summary")
    page = paginate(request, qs)
    shown = list(page.object_list)
    rows = [
        {"a": a, "detail": _detail(a), "style": STATUS_STYLE[status_of(a)],
         "failed": [c.get("text") or c.get("label") for c in a.checks if not c.get("ok")] if a.checked_at else []}
        for a in shown
    ]
    counts = round_counts([r.pk], user=request.user)[r.pk]
    manage = may_close(request.user, r)
    open_now = window_refusal(r, today) is None
    return render(request, "web/applications/round_detail.html", {
        "r": r,
        "status": status,
        "round_status": round_status(r, today),
        "counts": [(code, STATUS_LABELS[code], n) for code, n in counts.items()],
        "page": page,
        "rows": rows,
        "decidable": _committee_rows(request, shown),
        "may_close": manage,
        "may_apply_for_others": open_now and authority.allows(request.user, "applications.apply", r.org_unit),
        "apply_form": ApplyOnBehalfForm(),
        "may_export": authority.allows(request.user, "applications.export", r.org_unit),
        "awaiting_notice": notice_candidates(user=request.user, org_unit=r.org_unit).filter(kind="monopoly").count()
        if may(request.user, "notices.publish") else 0,
    })


def _back_to_round(request, pk: int) -> str:
    return reverse("web:round", args=[pk])


@requires("rounds.manage")
@require_POST
@shows_refusals(_back_to_round)
def round_close_view(request, pk: int):
    r = _round(request, pk)
    result = round_close(actor=request.user, round=r)
    messages.success(request, gettext("已截止申报并完成资格审查：%(summary)s。") % {"summary": result.summary()})
    return go(request, reverse("web:round", args=[pk]))


def _back_after_applying(request, pk: int) -> str:
    if request.user.employee_id and not request.POST.get("employee_no"):
        return reverse("web:career")
    return reverse("web:round", args=[pk])


@requires("applications.apply")
@require_POST
@shows_refusals(_back_after_applying)
def round_apply(request, pk: int):
    """申报: an employee for themself (from 我的职业发展), or HR for one employee by 工号."""
    r = _round(request, pk)
    back = _back_after_applying(request, pk)
    number = (request.POST.get("employee_no") or "").strip()
    if number:
        form = ApplyOnBehalfForm(request.POST)
        if not form.is_valid():
            return refused(request, _errors(form), back)
        employee = scope_employees(request.user, Employee.objects.all()).filter(
            employee_no=form.cleaned_data["employee_no"].strip()
        ).first()
        if employee is None:
            return refused(request, gettext("工号 %(no)s 不存在或不在您的管理范围内") % {"no": form.cleaned_data["employee_no"]}, back)
    else:
        employee = request.user.employee
        if employee is None:
            return refused(request, gettext("请填写要代为申报的员工工号"), back)
    level = request.POST.get("level") or None
    a = application_apply(actor=request.user, round=r, employee=employee, level=level)
    messages.success(request, gettext("已申报 %(level)s（%(name)s）。申报期满后统一进行资格审查，在此之前可以撤回。") % {"level": a.level, "name": employee.name})
    return go(request, back if back == reverse("web:career") else reverse("web:application", args=[a.pk]))


@requires("rounds.manage")
@require_http_methods(["GET", "POST"])
@shows_refusals(lambda request, pk: reverse("web:round_qualified", args=[pk]))
def round_qualified(request, pk: int):
    """合格人员名单: who may apply (every automatic condition met) and has not; HR applies for a chosen set."""
    r = _round(request, pk)
    if request.method == "POST":
        form = EmployeeIdsForm(request.POST)
        if not form.is_valid():
            return refused(request, _errors(form), reverse("web:round_qualified", args=[pk]))
        ids = form.cleaned_data["ids"]
        visible = set(scope_employees(request.user, Employee.objects.filter(pk__in=ids)).values_list("pk", flat=True))
        if visible != set(ids):
            raise Http404(gettext("所选员工不存在或不在您的管理范围内"))
        done = applications_apply_batch(actor=request.user, round=r, employees=ids)
        messages.success(request, gettext("已代为申报 %(n)s 人。") % {"n": len(done)})
        return go(request, reverse("web:round", args=[pk]))
    listing = qualified_listing(round=r, user=request.user)
    return render(request, "web/applications/qualified.html", {
        "r": r, "listing": listing, "open_now": window_refusal(r, clock.today()) is None,
        "closed_reason": window_refusal(r, clock.today()),
        "may_compute": authority.allows(request.user, "rounds.manage", r.org_unit),
    })


@requires("rounds.manage")
@require_POST
@shows_refusals(lambda request, pk: reverse("web:round_qualified", args=[pk]))
def round_qualified_compute(request, pk: int):
    """(Re)compute a big round's qualified list in the background; its page then reads the result."""
    r = _round(request, pk)
    authority.require(request.user, "rounds.manage", r.org_unit)
    return start(
        request, kind="qualified_list", args={"round_id": r.pk}, dedupe_key=f"qualified_list:{r.pk}",
        back=reverse("web:round_qualified", args=[r.pk]),
    )


@requires("applications.export")
@require_GET
def round_export(request, pk: int):
    r = _round(request, pk)
    buffer = io.BytesIO()
    export_applications(round=r, path=buffer, fmt="xlsx", actor=request.user)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="applications-{r.pk}.xlsx"'
    return response


# --- one application -------------------------------------------------------------------------------


@requires("applications.read")
@require_GET
def application_detail(request, pk: int):
    a = _application(request, pk)
    today = clock.today()
    review = may_review(request.user, a)
    history = [
        {"t": t, "event": EVENT_LABELS.get(t.event, t.event),
         "to": state_label(t.to_state) if t.to_state else ""}
        for t in application_history(application=a)
    ]
    return render(request, "web/applications/application_detail.html", {
        "a": a,
        "detail": _detail(a),
        "style": STATUS_STYLE[status_of(a)],
        "history": history,
        "may_withdraw": may_withdraw(request.user, a, today),
        "review_form": ReviewForm(items=a.manual_items) if review else None,
        "frozen": a.checked_at is not None,
        "show_proposal": a.proposal_id is not None and may(request.user, "proposals.read"),
    })


def _back_to_application(request, pk: int) -> str:
    return reverse("web:application", args=[pk])


@requires("applications.withdraw")
@require_POST
@shows_refusals(_back_to_application)
def application_withdraw_view(request, pk: int):
    a = _application(request, pk)
    application_withdraw(actor=request.user, application=a)
    messages.success(request, gettext("已撤回 %(name)s 的 %(level)s 申报。") % {"name": a.employee.name, "level": a.level})
    return go(request, reverse("web:application", args=[pk]))


@requires("applications.review")
@require_POST
@shows_refusals(_back_to_application)
def application_review_view(request, pk: int):
    a = _application(request, pk)
    back = reverse("web:application", args=[pk])
    form = ReviewForm(request.POST, items=a.manual_items)
    if not form.is_valid():
        return refused(request, _errors(form), back)
    done = application_review(actor=request.user, application=a, items=form.marks(), comment=form.cleaned_data["comment"])
    if done.state == "reviewed":
        messages.success(request, gettext("审核通过：%(name)s 的 %(level)s 申报已提交审批。") % {"name": a.employee.name, "level": a.level})
    else:
        messages.success(request, gettext("审核未通过：%(name)s 的 %(level)s 申报不予通过。") % {"name": a.employee.name, "level": a.level})
    return go(request, back)


@requires("applications.read")
@require_GET
def application_pdf(request, pk: int):
    a = _application(request, pk)
    response = HttpResponse(render_application_pdf(a), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="application-{a.pk}.pdf"'
    return response
