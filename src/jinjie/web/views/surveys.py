"""职业满意度调查: HR builds the questions, audience and window; each employee of the audience
answers once; HR reads aggregates only (groups of ≥ 5), and exports them to Excel."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.approvals import clock
from jinjie.core.errors import DomainError
from jinjie.development.models import QuestionKind
from jinjie.development.selectors.surveys import (
    MIN_GROUP,
    SUPPRESSED,
    participation_count,
    survey_for_answering,
    survey_get_managed,
    survey_results,
    surveys_managed,
    surveys_to_answer,
)
from jinjie.development.services import survey_answer, survey_close, survey_create, survey_open
from jinjie.interchange.exports import export_survey_results
from jinjie.org.scoping import visible_org_units
from jinjie.rules.ladder import TRACKS

from ..access import may, requires
from ..refusals import shows_refusals
from .common import go
from .talks import XLSX

KIND_WORDS = {"scale": QuestionKind.SCALE, "评分": QuestionKind.SCALE, "choice": QuestionKind.CHOICE,
              "单选": QuestionKind.CHOICE, "text": QuestionKind.TEXT, "文字": QuestionKind.TEXT}


def parse_questions(text: str) -> list[dict]:
    """One question a line: 评分|题目, 单选|题目|选项1;选项2, 文字|题目 (or scale/choice/text)."""
    out = []
    for number, line in enumerate((text or "").splitlines()[:60], start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        kind = KIND_WORDS.get(parts[0])
        if kind is None or len(parts) < 2:
            raise DomainError(gettext("题目第 %(n)s 行格式应为：评分|题目、单选|题目|选项1;选项2 或 文字|题目") % {"n": number})
        options = parts[2].replace("；", ";").split(";") if len(parts) > 2 else []
        out.append({"kind": kind, "text": parts[1], "options": options})
    return out


@requires("surveys.manage", "surveys.answer")
@require_GET
def surveys(request):
    return render(request, "web/development/surveys.html", {
        "managed": surveys_managed(user=request.user).order_by("-opens", "-id")[:200],
        "to_answer": surveys_to_answer(user=request.user), "may_manage": may(request.user, "surveys.manage"),
    })


def _back_new(request, *args, **kwargs):
    return reverse("web:survey_new")


@requires("surveys.manage")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_new)
def survey_new(request):
    units = visible_org_units(request.user).order_by("path")
    if request.method == "POST":
        post = request.POST
        unit_id = post.get("org_unit", "")
        unit = units.filter(pk=unit_id).first() if unit_id.isdigit() and len(unit_id) < 12 else None
        if unit is None:
            raise DomainError(gettext("请选择调查范围（单位）"))
        survey = survey_create(
            actor=request.user, title=post.get("title", ""), intro=post.get("intro", ""), org_unit=unit,
            tracks=post.getlist("tracks"), opens=post.get("opens", ""), closes=post.get("closes", ""),
            questions=parse_questions(post.get("questions", "")),
        )
        return go(request, reverse("web:survey", args=[survey.pk]))
    return render(request, "web/development/survey_new.html", {"units": units, "tracks": TRACKS, "today": clock.today()})


def _managed(request, pk):
    survey = survey_get_managed(user=request.user, pk=pk)
    if survey is None:
        raise Http404(gettext("没有找到该调查"))
    return survey


@requires("surveys.manage")
@require_GET
def survey(request, pk: int):
    s = _managed(request, pk)
    return render(request, "web/development/survey.html", {
        "s": s, "questions": list(s.questions.all()), "answered": participation_count(survey=s),
    })


def _back(request, pk, *args, **kwargs):
    return reverse("web:survey", args=[pk])


@requires("surveys.manage")
@require_POST
@shows_refusals(_back)
def survey_state(request, pk: int):
    s = _managed(request, pk)
    if request.POST.get("action") == "close":
        survey_close(survey=s, actor=request.user)
    else:
        survey_open(survey=s, actor=request.user)
    return go(request, reverse("web:survey", args=[pk]))


def _back_answer(request, pk, *args, **kwargs):
    return reverse("web:survey_answer", args=[pk])


@requires("surveys.answer")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_answer)
def survey_answer_view(request, pk: int):
    found = survey_for_answering(user=request.user, pk=pk)
    if found is None:
        raise Http404(gettext("没有找到该调查，或您不在调查范围内、不在填写期内"))
    s, done = found
    questions = list(s.questions.all())
    if request.method == "POST" and not done:
        answers = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
        survey_answer(survey=s, actor=request.user, answers=answers)
        messages.success(request, gettext("谢谢！您的答卷已匿名提交。"))
        return go(request, reverse("web:career"))
    return render(request, "web/development/survey_answer.html", {"s": s, "questions": questions, "done": done})


@requires("surveys.results")
@require_GET
def survey_results_view(request, pk: int):
    s = _managed(request, pk)
    return render(request, "web/development/survey_results.html", {
        "s": s, "results": survey_results(survey=s), "answered": participation_count(survey=s),
        "min_group": MIN_GROUP, "suppressed": SUPPRESSED,
    })


@requires("surveys.results")
@require_GET
def survey_results_export(request, pk: int):
    s = _managed(request, pk)
    buffer = io.BytesIO()
    export_survey_results(results=survey_results(survey=s), path=buffer, fmt="xlsx")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{s.pk}.xlsx"'
    return response
