"""公示: the list, publication (committee), the notice itself (printable, PDF), objections.

Which notices, candidates and objections a user sees is approvals.selectors' to say
(notices_for, notice_candidates, objections_for: the filer hidden from all but the committee and
the discipline officer); the notice's wording is approvals.notice_pdf.notice_context, so the
page and the PDF say the same thing.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.approvals import clock
from jinjie.approvals.models import Notice, NoticeItem
from jinjie.approvals.notice_pdf import notice_context, render_notice_pdf
from jinjie.approvals.selectors import notice_candidates, notices_for, objectable_proposals, objections_for
from jinjie.approvals.services import notice_publish, objection_file, objection_resolve
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.evaluations.models import ProposalKind
from jinjie.org.models import OrgUnit

from ..access import may, requires
from ..forms import ObjectionForm, PublishNoticeForm, ResolveForm
from ..refusals import shows_refusals
from .common import go, paginate, refused


def open_notices_for_employee(user):
    if not user.employee_id:
        return []
    return list(notices_for(user=user).filter(end_date__gte=clock.today())[:10])


def _get_notice(user, pk: int) -> Notice:
    notice = notices_for(user=user).filter(pk=pk).first()
    if notice is None:
        raise Http404(gettext("没有找到该公示，或不在您的数据范围内"))
    return notice


@requires("notices.read")
@require_GET
def notices(request):
    qs = notices_for(user=request.user).annotate(n_items=Count("items"))
    units = OrgUnit.objects.filter(pk__in=qs.values("org_unit")).order_by("path")
    unit_id = request.GET.get("unit") or ""
    unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    may_publish = may(request.user, "notices.publish")
    return render(
        request,
        "web/notices.html",
        {
            "page": paginate(request, qs, 20),
            "today": clock.today(),
            "units": units,
            "unit": unit,
            "may_publish": may_publish,
            "awaiting": notice_candidates(user=request.user).count() if may_publish else 0,
        },
    )


@requires("notices.publish")
@require_http_methods(["GET", "POST"])
def notice_new(request):
    """One notice is of one kind of matter (职级晋升, 专卖管理员等级, 竞聘任职): the page offers the
    candidates of one kind at a time, chosen by the tabs (?kind=), all pre-selected."""
    everything = notice_candidates(user=request.user)
    counts = dict(everything.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    kinds = [(k, ProposalKind(k).label, counts[k]) for k in ProposalKind.values if counts.get(k)]
    wanted = request.POST.get("kind") or request.GET.get("kind")
    kind = wanted if wanted in counts else (kinds[0][0] if kinds else ProposalKind.EVALUATION)
    awaiting = everything.filter(kind=kind)
    form = PublishNoticeForm(request.POST or None, user=request.user, initial={"org_unit": request.user.org_unit_id})
    selected: set[int] = set()
    if request.method == "POST":
        selected = {int(x) for x in request.POST.getlist("ids") if x.isdigit()}
        if form.is_valid():
            if not selected:
                form.add_error(None, gettext("请至少选择一条待公示的建议"))
            else:
                try:
                    notice = notice_publish(
                        org_unit=form.cleaned_data["org_unit"],
                        proposals=sorted(selected),
                        actor=request.user,
                        title=form.cleaned_data.get("title") or None,
                    )
                except NotPermitted:
                    raise
                except DomainError as e:
                    form.add_error(None, str(e))
                else:
                    messages.success(
                        request,
                        gettext(
                            "已发布公示“%(title)s”，公示期 %(start)s 至 %(end)s。"
                            "期间本单位员工可提出异议；期满无异议的，%(end)s 次日起生效。"
                        ) % {"title": notice.title, "start": notice.start_date, "end": notice.end_date},
                    )
                    return go(request, reverse("web:notice", args=[notice.pk]))
    return render(
        request, "web/notice_new.html",
        {"form": form, "awaiting": awaiting, "selected": selected, "kinds": kinds, "kind": kind},
    )


@requires("notices.read")
@require_GET
def notice_detail(request, pk: int):
    user = request.user
    notice = _get_notice(user, pk)
    items = list(NoticeItem.objects.filter(notice=notice).select_related("proposal", "proposal__employee").order_by("position"))
    today = clock.today()
    running = notice.start_date <= today <= notice.end_date
    objectable = objectable_proposals(user=user, notice=notice, items=items, today=today)
    may_object = bool(objectable)
    objections = []
    if may(user, "objections.read_filer"):
        names = {i.pk: i for i in items}
        objections = [{"o": o, "item": names[o.notice_item_id]} for o in objections_for(user=user, notice=notice)]
    return render(
        request,
        "web/notice_detail.html",
        {
            **notice_context(notice),
            "today": today,
            "running": running,
            "may_object": may_object,
            "objection_form": ObjectionForm(proposals=objectable) if may_object else None,
            "objections": objections,
            "may_resolve": may(user, "objections.resolve"),
        },
    )


@requires("notices.read")
@require_GET
def notice_pdf(request, pk: int):
    notice = _get_notice(request.user, pk)
    response = HttpResponse(render_notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


def _back_to_notice(request, pk: int) -> str:
    return reverse("web:notice", args=[pk])


@requires("objections.file")
@require_POST
@shows_refusals(_back_to_notice)
def objection_new(request, pk: int):
    user = request.user
    notice = _get_notice(user, pk)
    url = reverse("web:notice", args=[pk])
    items = list(NoticeItem.objects.filter(notice=notice).select_related("proposal", "proposal__employee"))
    form = ObjectionForm(request.POST, proposals=[i.proposal for i in items])
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), url)
    item = next(i for i in items if i.proposal_id == form.cleaned_data["proposal"])
    objection_file(notice_item=item, filer=user, text=form.cleaned_data["reason"])
    messages.success(
        request,
        gettext(
            "您的异议已提交，该事项暂停办理，由考评委员会调查处理；处理结果可在“我的异议”中查看。提出人身份仅考评委员会和纪检监察可见。"
        ),
    )
    return go(request, url)


STATUS_FILTERS = {"open": ("open",), "resolved": ("upheld", "dismissed"), "all": ("open", "upheld", "dismissed")}


@requires("objections.read_filer")
@require_GET
def objections(request):
    status = request.GET.get("status") if request.GET.get("status") in STATUS_FILTERS else "open"
    rows = objections_for(user=request.user, status=STATUS_FILTERS[status], newest_first=True)
    items = NoticeItem.objects.filter(pk__in=[o.notice_item_id for o in rows]).select_related("notice")
    by_id = {i.pk: i for i in items}
    return render(
        request,
        "web/objections.html",
        {
            "page": paginate(request, [{"o": o, "item": by_id[o.notice_item_id]} for o in rows], 30),
            "status": status,
            "may_resolve": may(request.user, "objections.resolve"),
        },
    )


def _objection_visible(request, pk: int):
    found = objections_for(user=request.user, objection=pk)
    if not found:
        raise Http404(gettext("没有找到该异议，或不在您的数据范围内"))
    return found[0]


def _back_from_resolving(request, pk: int) -> str:
    if request.POST.get("next") == "notice":
        item = NoticeItem.objects.get(pk=_objection_visible(request, pk).notice_item_id)
        return reverse("web:notice", args=[item.notice_id])
    return reverse("web:objections")


@requires("objections.resolve")
@require_POST
@shows_refusals(_back_from_resolving)
def objection_resolve_view(request, pk: int):
    _objection_visible(request, pk)
    back = _back_from_resolving(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    upheld = form.cleaned_data["outcome"] == "uphold"
    objection_resolve(objection=pk, actor=request.user, upheld=upheld, reason=form.cleaned_data["reason"])
    outcome = (
        gettext("异议成立，该建议不予通过，职级不变") if upheld
        else gettext("异议不成立（已驳回），该事项继续公示，期满后次日生效；公示已结束的，自处理次日起生效")
    )
    messages.success(request, gettext("异议 #%(pk)s 已处理：%(outcome)s。提出人可在“我的异议”中查看处理结果。") % {"pk": pk, "outcome": outcome})
    return go(request, back)
