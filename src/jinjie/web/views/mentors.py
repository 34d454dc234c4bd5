"""导师制: HR pairs; the mentor reads the mentee's rank, gap and plan while the pairing is active and
records meetings; at the end both rate the pairing."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.approvals import clock
from jinjie.core.errors import NotPermitted
from jinjie.development.models import RatingSide
from jinjie.development.selectors.mentors import mentee_view, mentorship_get, mentorships_for
from jinjie.development.services import meeting_record, mentorship_create, mentorship_end, rating_submit
from jinjie.org import authority

from ..access import may, requires
from ..refusals import shows_refusals
from .common import go, paginate
from .talks import scoped_employee


@requires("mentorships.manage", "mentorships.mentor")
@require_GET
def mentorships(request):
    qs = mentorships_for(user=request.user).order_by("-start_date", "-id")
    return render(request, "web/development/mentorships.html", {
        "page": paginate(request, qs), "may_manage": may(request.user, "mentorships.manage"), "today": clock.today(),
    })


def _back_new(request, *args, **kwargs):
    return reverse("web:mentorship_new")


@requires("mentorships.manage")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_new)
def mentorship_new(request):
    if request.method == "POST":
        post = request.POST
        m = mentorship_create(
            mentor=scoped_employee(request.user, post.get("mentor_no", "")),
            mentee=scoped_employee(request.user, post.get("mentee_no", "")), start_date=post.get("start_date", ""),
            end_date=post.get("end_date", ""), goals=post.get("goals", ""), actor=request.user,
        )
        return go(request, reverse("web:mentorship", args=[m.pk]))
    return render(request, "web/development/mentorship_new.html", {"today": clock.today()})


def _get(request, pk):
    m = mentorship_get(user=request.user, pk=pk)
    if m is None:
        raise Http404(gettext("没有找到该结对，或不在您的范围内"))
    return m


@requires("mentorships.manage", "mentorships.mentor")
@require_GET
def mentorship(request, pk: int):
    m = _get(request, pk)
    user = request.user
    view = None
    if user.employee_id == m.mentor_id:
        try:
            view = mentee_view(user=user, mentorship=m)
        except NotPermitted:
            view = None  # outside the pairing's period: the mentor no longer reads the mentee
    today = clock.today()
    ratings = {r.side: r for r in m.ratings.all()}
    side = RatingSide.MENTOR if user.employee_id == m.mentor_id else RatingSide.MENTEE if user.employee_id == m.mentee_id else None
    return render(request, "web/development/mentorship.html", {
        "m": m, "view": view, "meetings": list(m.meetings.select_related("recorded_by")),
        "ratings": ratings, "may_rate": side is not None and side not in ratings and today >= m.last_day,
        "may_meet": view is not None, "may_end": authority.allows(user, "mentorships.manage", m.mentee) and m.last_day >= today,
        "today": today, "active": m.start_date <= today <= m.last_day,
    })


def _back(request, pk, *args, **kwargs):
    return reverse("web:mentorship", args=[pk])


@requires("mentorships.mentor")
@require_POST
@shows_refusals(_back)
def meeting_new(request, pk: int):
    meeting_record(mentorship=_get(request, pk), actor=request.user, date=request.POST.get("date", ""), notes=request.POST.get("notes", ""))
    return go(request, reverse("web:mentorship", args=[pk]))


@requires("mentorships.mentor")
@require_POST
@shows_refusals(_back)
def mentorship_rate(request, pk: int):
    rating_submit(mentorship=_get(request, pk), actor=request.user, score=request.POST.get("score"), comment=request.POST.get("comment", ""))
    return go(request, reverse("web:mentorship", args=[pk]))


@requires("mentorships.manage")
@require_POST
@shows_refusals(_back)
def mentorship_end_view(request, pk: int):
    mentorship_end(mentorship=_get(request, pk), actor=request.user, on=request.POST.get("on") or None)
    return go(request, reverse("web:mentorship", args=[pk]))
