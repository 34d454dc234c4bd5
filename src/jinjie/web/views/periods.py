"""季度测评: run an evaluation for a period and a unit (a background job), and see its counts per move."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from jinjie.evaluations.models import EvaluationRun, ProposalState
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.evaluations.selectors import evaluation_latest_run, proposal_counts, proposal_list
from jinjie.org.scoping import visible_org_units
from jinjie.rules.ladder import MOVE_LABELS

from ..access import may, requires
from ..forms import RunEvaluationForm
from .jobs import start


def _recent_runs(user):
    units = visible_org_units(user)
    return (
        EvaluationRun.objects.filter(org_unit__in=units)
        .select_related("org_unit", "rulebook", "started_by")
        .order_by("-started_at", "-id")[:10]
    )


def _latest_run(period: str, unit):
    try:
        return evaluation_latest_run(period=period, org_unit=unit)
    except ValueError:
        return None


@requires("evaluations.run")
@require_http_methods(["GET", "POST"])
def periods(request):
    user = request.user
    initial = {"period": str(latest_complete_period()), "org_unit": user.org_unit_id}
    form = RunEvaluationForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Seconds to a minute at province scale: the worker runs it, the job's page shows how far.
        period, unit = form.cleaned_data["period"], form.cleaned_data["org_unit"]
        back = reverse("web:periods") + "?" + urlencode({"period": period, "unit": unit.pk})
        return start(
            request,
            kind="evaluation_run",
            args={"period": str(period), "org_unit_id": unit.pk},
            dedupe_key=f"evaluation_run:{period}:{unit.pk}",
            back=back,
        )

    shown_period = request.GET.get("period") or initial["period"]
    shown_unit = None
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        shown_unit = visible_org_units(user).filter(pk=unit_id).first()
    shown_unit = shown_unit or user.org_unit
    counts = None
    try:
        if shown_unit is not None or user.is_superuser:
            counts = proposal_counts(period=shown_period, org_unit=shown_unit, user=user)
    except ValueError:
        counts = None
    rows = []
    drafts = 0
    if counts:
        drafts = proposal_list(period=shown_period, org_unit=shown_unit, user=user, state=ProposalState.DRAFT).count()
        for move, n in counts.items():
            query = urlencode({"period": shown_period, "move": move, **({"unit": shown_unit.pk} if shown_unit else {})})
            rows.append({"move": move, "label": MOVE_LABELS[move], "count": n, "url": reverse("web:proposals") + "?" + query})
    return render(
        request,
        "web/periods.html",
        {
            "form": form,
            "rows": rows,
            "total": sum(r["count"] for r in rows),
            "shown_period": shown_period,
            "shown_unit": shown_unit,
            "runs": _recent_runs(user),
            "drafts": drafts,
            "may_submit": may(user, "proposals.submit"),
            "latest_run": _latest_run(shown_period, shown_unit),
        },
    )
