"""职业满意度调查: HR writes the questions, audience and window; each employee of the audience answers
once; the answers are stored with no link to the person (see models.Answer, models.Participation).

Anonymity in the write path: the answers of one submission get random UUID keys and are inserted in
a shuffled order, in the same transaction as the participation row, which has a random key too — so
neither keys nor id ranges nor the order of rows in the answers table say whose they are.
"""

import random
from datetime import date

from django.db import IntegrityError, transaction

from jinjie.approvals import clock
from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.org.models import PATH_SEP, OrgUnit
from jinjie.people.models import Status
from jinjie.rules.ladder import TRACKS

from ..models import Answer, Participation, Question, QuestionKind, Survey, SurveyState
from ._text import a_date, optional_text, required_text

MAX_QUESTIONS = 50
MAX_OPTIONS = 20
_shuffle = random.SystemRandom().shuffle


def clean_questions(questions) -> list[dict]:
    if not isinstance(questions, list) or not questions:
        raise DomainError("请至少设置一道题目")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(f"题目最多 {MAX_QUESTIONS} 道")
    out = []
    for i, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or q.get("kind") not in QuestionKind.values:
            raise DomainError(f"第 {i} 题的题型应为：1–5 分(scale)、单选(choice)或文字(text)")
        options: list[str] = []
        if q["kind"] == QuestionKind.CHOICE:
            raw = q.get("options")
            if isinstance(raw, str):
                raw = raw.splitlines()
            if not isinstance(raw, list):
                raw = []
            options = [optional_text(o, f"第 {i} 题的选项", 100) for o in raw]
            options = list(dict.fromkeys(o for o in options if o))
            if not 2 <= len(options) <= MAX_OPTIONS:
                raise DomainError(f"第 {i} 题（单选）应有 2 到 {MAX_OPTIONS} 个不同的选项")
        out.append({"kind": q["kind"], "text": required_text(q.get("text"), f"第 {i} 题的题目", 300), "options": options})
    return out


@transaction.atomic
def survey_create(
    *, actor, title: str, org_unit: OrgUnit, tracks, opens: date | str, closes: date | str, questions, intro: str = ""
) -> Survey:
    authority.require(actor, "surveys.manage", org_unit)
    tracks = list(dict.fromkeys(tracks or []))
    if not tracks or any(t not in TRACKS for t in tracks):
        raise DomainError(f"请选择岗位序列：{'、'.join(TRACKS)}")
    start, end = a_date(opens, "开始日期"), a_date(closes, "截止日期")
    if end < start:
        raise DomainError("截止日期不能早于开始日期")
    survey = Survey.objects.create(
        title=required_text(title, "标题", 100), intro=optional_text(intro, "说明", 2000), org_unit=org_unit,
        tracks=tracks, opens=start, closes=end, created_by=actor,
    )
    Question.objects.bulk_create(
        Question(survey=survey, position=i, **q) for i, q in enumerate(clean_questions(questions), start=1)
    )
    return survey


def _locked(survey: Survey, actor) -> Survey:
    survey = Survey.objects.select_for_update().select_related("org_unit").get(pk=survey.pk)
    authority.require(actor, "surveys.manage", survey.org_unit)
    return survey


@transaction.atomic
def survey_open(*, survey: Survey, actor) -> Survey:
    survey = _locked(survey, actor)
    if survey.state != SurveyState.DRAFT:
        raise DomainError("只有草稿状态的调查可以发布")
    survey.state = SurveyState.OPEN
    survey.save(update_fields=["state"])
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor) -> Survey:
    survey = _locked(survey, actor)
    if survey.state != SurveyState.OPEN:
        raise DomainError("只有已发布的调查可以结束")
    survey.state = SurveyState.CLOSED
    survey.save(update_fields=["state"])
    return survey


def reporting_unit_path(survey_unit: OrgUnit, employee_unit_path: str) -> str:
    """The reporting group's unit: the survey unit's direct sub-unit the employee belongs to (or the
    survey unit itself for its own staff) — never anything finer."""
    parts = employee_unit_path.split(PATH_SEP)
    return PATH_SEP.join(parts[: survey_unit.depth + 2])


def answer_refusal(survey: Survey, employee, today: date) -> str | None:
    if survey.state != SurveyState.OPEN or not survey.opens <= today <= survey.closes:
        return f"该调查不在填写期内（{survey.opens.isoformat()} 至 {survey.closes.isoformat()}）"
    if employee is None or employee.status != Status.ACTIVE or employee.track not in survey.tracks:
        return "您不在本次调查的范围内"
    if not survey.org_unit.contains(employee.org_unit):
        return "您不在本次调查的范围内"
    return None


def _value(question: Question, raw) -> dict | None:
    text = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw).strip())
    if question.kind == QuestionKind.SCALE:
        if text not in {"1", "2", "3", "4", "5"}:
            raise DomainError(f"第 {question.position} 题请选择 1 到 5 分")
        return {"number": int(text)}
    if question.kind == QuestionKind.CHOICE:
        if text not in question.options:
            raise DomainError(f"第 {question.position} 题请选择一个选项")
        return {"choice": text}
    if len(text) > 2000:
        raise DomainError(f"第 {question.position} 题最多 2000 个字")
    if "\x00" in text:
        raise DomainError(f"第 {question.position} 题含有无效字符")
    return {"text": text} if text else None


@transaction.atomic
def survey_answer(*, survey: Survey, actor, answers: dict) -> int:
    """Record one employee's answers (question id → value); a second submission is refused.
    Returns the number of answers stored (a blank free-text answer stores nothing)."""
    survey = Survey.objects.select_related("org_unit").get(pk=survey.pk)
    authority.require(actor, "surveys.answer", survey.org_unit)
    employee = actor.employee
    refusal = answer_refusal(survey, employee, clock.today())
    if refusal:
        raise DomainError(refusal)
    if not isinstance(answers, dict):
        raise DomainError("答案格式无效")
    questions = list(survey.questions.order_by("position", "id"))
    values = [(q, _value(q, answers.get(q.pk, answers.get(str(q.pk))))) for q in questions]
    group = OrgUnit.objects.get(path=reporting_unit_path(survey.org_unit, employee.org_unit.path))
    rows = [
        Answer(survey=survey, question=q, group_unit=group, group_track=employee.track, **v)
        for q, v in values
        if v is not None
    ]
    _shuffle(rows)
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, employee=employee)
    except IntegrityError:
        raise DomainError("您已填写过本调查，每人只能填写一次") from None
    Answer.objects.bulk_create(rows)
    return len(rows)
