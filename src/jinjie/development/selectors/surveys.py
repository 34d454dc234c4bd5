"""Survey reads. Results are aggregates only, per question, overall, per reporting unit and per
track, each shown only for a group of at least MIN_GROUP answers ("样本不足，不予显示"); free text
likewise, in a random order every time.

Differencing: where a breakdown hides exactly one group while the total is shown, the hidden one
could be worked out as total − the others; so the next smallest group of that breakdown is hidden
too (secondary suppression).
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jinjie.approvals import clock
from jinjie.org import authority
from jinjie.org.models import OrgUnit
from jinjie.org.scoping import visible_org_units

from ..models import Answer, Participation, Question, QuestionKind, Survey, SurveyState

MIN_GROUP = 5
SUPPRESSED = "样本不足，不予显示"
_shuffle = random.SystemRandom().shuffle


def surveys_managed(*, user):
    """HR: the surveys of units in their subtree."""
    if not authority.allows(user, "surveys.manage"):
        return Survey.objects.none()
    units = visible_org_units(user)
    return Survey.objects.filter(org_unit__in=units).select_related("org_unit")


def surveys_to_answer(*, user) -> list[tuple[Survey, bool]]:
    """Open surveys whose audience includes the user's employee, with whether they answered."""
    employee = user.employee if user.employee_id else None
    if employee is None:
        return []
    path = employee.org_unit.path
    ancestors = [p for p in _prefixes(path)]
    today = clock.today()
    found = [
        s for s in Survey.objects.filter(
            state=SurveyState.OPEN, opens__lte=today, closes__gte=today, org_unit__path__in=ancestors
        ).select_related("org_unit")
        if employee.track in s.tracks
    ]
    done = set(Participation.objects.filter(employee=employee, survey__in=[s.pk for s in found]).values_list("survey_id", flat=True))
    return [(s, s.pk in done) for s in found]


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def survey_for_answering(*, user, pk: int) -> tuple[Survey, bool] | None:
    for survey, done in surveys_to_answer(user=user):
        if survey.pk == pk:
            return survey, done
    return None


@dataclass
class Cell:
    label: str
    count: int
    shown: bool = True
    mean: Decimal | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class QuestionResult:
    question: Question
    overall: Cell
    by_unit: list[Cell]
    by_track: list[Cell]


def _cell(label: str, question: Question, rows: list[tuple]) -> Cell:
    cell = Cell(label, len(rows))
    if question.kind == QuestionKind.SCALE:
        numbers = [r[0] for r in rows if r[0] is not None]
        if numbers:
            cell.mean = (Decimal(sum(numbers)) / len(numbers)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        counts = Counter(numbers)
        cell.distribution = [(str(n), counts.get(n, 0)) for n in range(1, 6)]
    elif question.kind == QuestionKind.CHOICE:
        counts = Counter(r[1] for r in rows)
        cell.distribution = [(o, counts.get(o, 0)) for o in question.options]
    else:
        cell.texts = [r[2] for r in rows if r[2]]
        _shuffle(cell.texts)
    return cell


def _suppress(cells: list[Cell], total_shown: bool) -> None:
    for c in cells:
        if c.count < MIN_GROUP:
            c.shown = False
    hidden = [c for c in cells if not c.shown and c.count > 0]
    if total_shown and len(hidden) == 1:
        others = sorted((c for c in cells if c.shown), key=lambda c: c.count)
        if others:
            others[0].shown = False
    for c in cells:
        if not c.shown:
            c.mean, c.distribution, c.texts = None, [], []


def survey_results(*, survey: Survey) -> list[QuestionResult]:
    """Aggregates of every question (one query for the answers, one for the unit names)."""
    questions = list(survey.questions.order_by("position", "id"))
    by_question: dict[int, list[tuple]] = defaultdict(list)
    for qid, unit, track, number, choice, text in Answer.objects.filter(survey=survey).values_list(
        "question_id", "group_unit_id", "group_track", "number", "choice", "text"
    ):
        by_question[qid].append((unit, track, number, choice, text))
    unit_ids = {r[0] for rows in by_question.values() for r in rows}
    names = dict(OrgUnit.objects.filter(pk__in=sorted(unit_ids)).values_list("pk", "name")) if unit_ids else {}
    results = []
    for q in questions:
        rows = by_question.get(q.pk, [])
        overall = _cell("全部", q, [r[2:] for r in rows])
        overall.shown = overall.count >= MIN_GROUP
        if not overall.shown:
            overall.mean, overall.distribution, overall.texts = None, [], []
        units: dict[int, list] = defaultdict(list)
        tracks: dict[str, list] = defaultdict(list)
        for r in rows:
            units[r[0]].append(r[2:])
            tracks[r[1]].append(r[2:])
        by_unit = [_cell(names.get(u, "—"), q, rs) for u, rs in sorted(units.items(), key=lambda kv: names.get(kv[0], ""))]
        by_track = [_cell(t, q, rs) for t, rs in sorted(tracks.items())]
        _suppress(by_unit, overall.shown)
        _suppress(by_track, overall.shown)
        results.append(QuestionResult(q, overall, by_unit, by_track))
    return results


def participation_count(*, survey: Survey) -> int:
    return Participation.objects.filter(survey=survey).count()


def survey_get_managed(*, user, pk: int) -> Survey | None:
    return surveys_managed(user=user).filter(pk=pk).first()

