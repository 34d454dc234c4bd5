"""待我审批: the proposals whose current step this user decides (approvals.queue), sorted by unit,
move, name or days waiting, with a page size, batch decisions, the 晋级审批表 and an Excel export.
The proposal pages opened from here carry the queue along, so "同意并处理下一条" goes to the next."""

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from jinjie.approvals import clock
from jinjie.approvals.checks import decidable_ids
from jinjie.approvals.queue import (
    DEFAULT_SORT,
    QUEUE_SORTS,
    QueueFilters,
    days_waiting,
    my_queue,
    next_in_queue,
    queue_rows,
)
from jinjie.approvals.workflow import STEP_ACTIONS
from jinjie.org.models import OrgUnit
from jinjie.org.scoping import visible_org_units
from jinjie.rules.ladder import MOVE_LABELS

from ..access import requires
from ..forms import BootstrapMixin, UnitChoiceField
from .common import paginate
from .exports import proposals_xlsx
from .list_tools import list_tools

STEP_RIGHTS = tuple(STEP_ACTIONS.values())
PAGE_SIZES = (20, 50, 100)


class QueueForm(BootstrapMixin, forms.Form):
    sort = forms.ChoiceField(label=gettext_lazy("排序"), required=False, choices=[(k, gettext_lazy(v[0])) for k, v in QUEUE_SORTS.items()])
    move = forms.ChoiceField(label=gettext_lazy("变动"), required=False, choices=[("", gettext_lazy("全部变动"))] + [(k, gettext_lazy(v)) for k, v in MOVE_LABELS.items()])
    unit = UnitChoiceField(label=gettext_lazy("单位"), required=False, queryset=OrgUnit.objects.none(), empty_label=gettext_lazy("全部单位"))
    per = forms.TypedChoiceField(label=gettext_lazy("每页"), required=False, coerce=int, empty_value=50,
                                 choices=[(n, format_lazy(gettext_lazy("{n} 条"), n=n)) for n in PAGE_SIZES])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_org_units(user).order_by("path")
        self._style()


def queue_filters(request, query: QueryDict | None = None) -> tuple[QueueForm, QueueFilters, int]:
    """The queue's filters from the query string (or `query`); anything malformed falls back to the default."""
    form = QueueForm(request.GET if query is None else query, user=request.user)
    if not form.is_valid():
        return QueueForm(user=request.user, initial={"sort": DEFAULT_SORT, "per": 50}), QueueFilters(), 50
    f = form.cleaned_data
    return form, QueueFilters(sort=f["sort"] or DEFAULT_SORT, move=f["move"] or None, unit=f["unit"]), f["per"] or 50


def carried_filters(request, text: str | None) -> QueueFilters:
    """The queue a proposal page was opened from (its `queue` parameter: a query string)."""
    return queue_filters(request, QueryDict((text or "")[:500]))[1]


def queue_query(filters: QueueFilters) -> str:
    """The queue's filters as a query string (carried by the proposal pages opened from the queue)."""
    values = {"sort": filters.sort}
    if filters.move:
        values["move"] = filters.move
    if filters.unit is not None:
        values["unit"] = filters.unit.pk
    return urlencode(values)


@requires(*STEP_RIGHTS)
@require_GET
def queue(request):
    form, filters, per = queue_filters(request)
    queue = my_queue(user=request.user, filters=filters)
    page = paginate(request, queue.values_list("pk", flat=True), per)
    page.object_list = queue_rows(queue, page.object_list)
    today = clock.today()
    rows = [{"p": p, "days": days_waiting(p, today)} for p in page.object_list]
    return render(
        request,
        "web/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "queue_query": queue_query(filters),
            # Every row is the user's to decide; asked all the same, as the list page does.
            "decidable": decidable_ids(request.user, page.object_list),
            "submittable": set(),
            **list_tools(request, "web:queue_export"),
        },
    )


@requires("proposals.export")
@require_GET
def queue_export(request):
    _, filters, _ = queue_filters(request)
    return proposals_xlsx(my_queue(user=request.user, filters=filters), gettext("待我审批.xlsx"))


def next_after(request, decided: int) -> str:
    """Where "同意并处理下一条" goes: the next proposal of the queue the page was opened from (or of
    the default queue), its page carrying the queue along; the queue itself once it is empty."""
    filters = carried_filters(request, request.POST.get("queue"))
    following = next_in_queue(user=request.user, filters=filters, after=decided)
    query = queue_query(filters)
    if following is None:
        messages.info(request, gettext("待您审批的建议已全部处理完毕。"))
        return reverse("web:queue") + "?" + query
    return reverse("web:proposal", args=[following.pk]) + "?" + urlencode({"queue": query})
