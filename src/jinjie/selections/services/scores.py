"""Score sheets (SPEC 4): 笔试, 演讲答辩 by the judges (评委), 民主测评 ballots — and the stage
completions that lock them.

Every entry is a new append-only row; the latest per sheet counts. While its stage runs an entry
needs no reason; once HR has marked the stage complete it is a correction and needs one. A batch
(a form of many candidates, an imported file) is written whole or not at all: BatchRefused lists
every refused candidate. An entry equal to the one that counts is not written again.

Judges: HR names them (users of any staff role) and declares 回避 pairs; a judge enters only their
own sheet, never for a candidate they stand aside from (the authority's recusal: a candidate who
is the judge themself, or a declared pair).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from jinjie.core.errors import BatchRefused, DomainError, NotPermitted
from jinjie.org import authority
from jinjie.org.models import User

from ..models import (
    Application,
    BallotEntry,
    Judge,
    Recusal,
    Review,
    ScoreEntry,
    Selection,
    SelectionState,
    Source,
    Stage,
)
from ..scoring import Scoreboard, scoreboard
from ..workflow import COMPLETABLE, STAGE_LABELS, STAGES, SelectionError, entry_mode, index, state_label
from ._common import candidate_subject, clean_text, lock, move, parse_score, pk_of

S = SelectionState
MAX_BALLOTS = 100_000

__all__ = [
    "EntryResult",
    "ImportCheck",
    "ballots_enter",
    "judge_marks",
    "judge_name",
    "recusal_declare",
    "scores_enter",
    "scores_import",
    "stage_complete",
]


class ScoresRefused(BatchRefused, SelectionError):
    item_label = "报名"


@dataclass
class EntryResult:
    written: int = 0
    unchanged: int = 0
    correction: bool = False


def _who(app: Application) -> str:
    return f"{app.employee.name}（{app.employee.employee_no}）"


def _active(sel: Selection, board: Scoreboard) -> dict[int, Application]:
    return {a.pk: a for a in board.applications}


def _reason_for(mode: str, reason: str) -> tuple[bool, str]:
    correction = mode == "correction"
    return correction, clean_text(reason, "更正理由", required=correction, max_length=1000)


def _check_candidate(app: Application | None, pk: int, stage: str, board: Scoreboard) -> str | None:
    if app is None:
        return "不是本次竞聘的有效报名"
    if app.review != Review.CONFIRMED:
        return f"{_who(app)} 未通过资格审查"
    if stage != Stage.WRITTEN and not board.passed_written(pk):
        return f"{_who(app)} 笔试未达到合格线，未进入面试"
    return None


@transaction.atomic
def scores_enter(
    *,
    selection: Selection | int,
    actor: User,
    stage: str,
    scores: Mapping[int, object],
    reason: str = "",
    source: str = Source.FORM,
) -> EntryResult:
    """Scores of one stage by HR: 笔试, or a final 演讲答辩 / 民主测评 score given without judges'
    sheets or ballots. `scores`: application id → score (0–100, ≤ 2 decimals)."""
    sel = lock(selection)
    authority.require(actor, "selections.score", sel.org_unit)
    if stage not in Stage.values:
        raise SelectionError("成绩类别应为 written（笔试）、speech（演讲答辩）或 democratic（民主测评）")
    if not scores:
        raise SelectionError("没有要录入的成绩")
    correction, reason = _reason_for(entry_mode(sel, stage), reason)
    board = scoreboard(sel)
    apps = _active(sel, board)
    latest = {Stage.WRITTEN: board.written, Stage.SPEECH: board.speech_final, Stage.DEMOCRATIC: board.democratic_final}[stage]
    errors: list[tuple[int, str]] = []
    rows: list[ScoreEntry] = []
    result = EntryResult(correction=correction)
    for pk, value in scores.items():
        app = apps.get(pk)
        problem = _check_candidate(app, pk, stage, board)
        if problem is None and stage == Stage.SPEECH and board.marks.get(pk):
            problem = f"{_who(app)} 已有评委评分，演讲答辩成绩按评委评分计算"
        if problem is None and stage == Stage.DEMOCRATIC and pk in board.ballots:
            problem = f"{_who(app)} 已录入民主测评票数，成绩按票数计算"
        if problem is None:
            problem = authority.explain(actor, "selections.score", candidate_subject(sel, app))
        if problem is None:
            try:
                score = parse_score(value, f"{_who(app)} 的{STAGE_LABELS[stage]}成绩")
            except SelectionError as e:
                problem = str(e)
        if problem is not None:
            errors.append((pk, problem))
            continue
        before = latest.get(pk)
        if before is not None and before.score == score:
            result.unchanged += 1
            continue
        rows.append(
            ScoreEntry(
                application_id=pk, stage=stage, score=score, correction=correction, reason=reason, source=source,
                entered_by=actor,
            )
        )
    if errors:
        raise ScoresRefused(errors)
    ScoreEntry.objects.bulk_create(rows)
    result.written = len(rows)
    return result


def _counts(value) -> tuple[int, int, int, int]:
    if isinstance(value, Mapping):
        value = tuple(value.get(k) for k in ("excellent", "competent", "basic", "incompetent"))
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise SelectionError("票数应为 优秀、称职、基本称职、不称职 四项")
    out = []
    for n, label in zip(value, ("优秀", "称职", "基本称职", "不称职"), strict=True):
        if isinstance(n, str) and n.strip().isdigit():
            n = int(n)
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_BALLOTS:
            raise SelectionError(f"“{label}”票数应为 0–{MAX_BALLOTS} 的整数")
        out.append(n)
    if sum(out) == 0:
        raise SelectionError("有效票数为 0")
    return tuple(out)  # type: ignore[return-value]


@transaction.atomic
def ballots_enter(
    *,
    selection: Selection | int,
    actor: User,
    ballots: Mapping[int, object],
    reason: str = "",
    source: str = Source.FORM,
) -> EntryResult:
    """民主测评 ballot counts per candidate: application id → (优秀, 称职, 基本称职, 不称职)."""
    sel = lock(selection)
    authority.require(actor, "selections.score", sel.org_unit)
    if not ballots:
        raise SelectionError("没有要录入的票数")
    correction, reason = _reason_for(entry_mode(sel, Stage.DEMOCRATIC), reason)
    board = scoreboard(sel)
    apps = _active(sel, board)
    errors: list[tuple[int, str]] = []
    rows: list[BallotEntry] = []
    result = EntryResult(correction=correction)
    for pk, value in ballots.items():
        app = apps.get(pk)
        problem = _check_candidate(app, pk, Stage.DEMOCRATIC, board)
        if problem is None and pk in board.democratic_final:
            problem = f"{_who(app)} 已直接录入民主测评成绩"
        if problem is None:
            problem = authority.explain(actor, "selections.score", candidate_subject(sel, app))
        if problem is None:
            try:
                counts = _counts(value)
            except SelectionError as e:
                problem = f"{_who(app)}：{e}"
        if problem is not None:
            errors.append((pk, problem))
            continue
        before = board.ballots.get(pk)
        if before is not None and (before.excellent, before.competent, before.basic, before.incompetent) == counts:
            result.unchanged += 1
            continue
        e, c, b, i = counts
        rows.append(
            BallotEntry(
                application_id=pk, excellent=e, competent=c, basic=b, incompetent=i, correction=correction,
                reason=reason, source=source, entered_by=actor,
            )
        )
    if errors:
        raise ScoresRefused(errors)
    BallotEntry.objects.bulk_create(rows)
    result.written = len(rows)
    return result


# --- judges --------------------------------------------------------------------------------------


def _judging_open(sel: Selection) -> None:
    if sel.state == S.CANCELLED or index(sel.state) > index(S.SPEECH):
        raise SelectionError(f"竞聘“{sel.code}”的演讲答辩已结束（当前为“{state_label(sel.state)}”）")


@transaction.atomic
def judge_name(*, selection: Selection | int, actor: User, user: User | int) -> Judge:
    """HR names a judge (评委): an active login of a staff role, until the speech is complete."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    _judging_open(sel)
    person = User.objects.filter(pk=pk_of(user, "用户"), is_active=True).first()
    if person is None:
        raise SelectionError("没有该用户，或账号已停用")
    # Named only who may judge here: a judge scores inside their own subtree (judge_marks asks the same).
    if refusal := authority.explain(person, "selections.judge", sel.org_unit):
        raise SelectionError(f"{person.get_full_name() or person.username} 不能担任评委：{refusal}")
    try:
        with transaction.atomic():
            return Judge.objects.create(selection=sel, user=person, named_by=actor)
    except IntegrityError:
        raise SelectionError(f"{person.get_full_name() or person.username} 已是本次竞聘的评委") from None


@transaction.atomic
def recusal_declare(
    *, selection: Selection | int, actor: User, judge: User | int, application: Application | int, reason: str
) -> Recusal:
    """HR declares a judge related to a candidate (回避): that judge may not score them."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    _judging_open(sel)
    judge_pk = pk_of(judge, "评委")
    if not Judge.objects.filter(selection=sel, user_id=judge_pk).exists():
        raise SelectionError("该用户不是本次竞聘的评委")
    app = Application.objects.filter(selection=sel, pk=pk_of(application, "报名"), withdrawn_at__isnull=True).first()
    if app is None:
        raise SelectionError("不是本次竞聘的有效报名")
    reason = clean_text(reason, "回避原因", required=True, max_length=500)
    if ScoreEntry.objects.filter(application=app, stage=Stage.SPEECH, judge_id=judge_pk).exists():
        raise SelectionError("该评委已为此人评分：请先由评委更正，或终止后重新组织")
    try:
        with transaction.atomic():
            return Recusal.objects.create(selection=sel, judge_id=judge_pk, application=app, reason=reason, declared_by=actor)
    except IntegrityError:
        raise SelectionError("已登记过该回避关系") from None


@transaction.atomic
def judge_marks(
    *, selection: Selection | int, judge: User, marks: Mapping[int, object], reason: str = ""
) -> EntryResult:
    """A judge's own sheet: application id → mark (0–100). Refused whole if any mark is (回避 →
    NotPermitted; anything else → BatchRefused listing each)."""
    sel = lock(selection)
    if not Judge.objects.filter(selection=sel, user=judge).exists():
        raise NotPermitted(f"您不是竞聘“{sel.code}”的评委")
    authority.require(judge, "selections.judge", sel.org_unit)
    if not marks:
        raise SelectionError("没有要录入的评分")
    correction, reason = _reason_for(entry_mode(sel, Stage.SPEECH), reason)
    board = scoreboard(sel)
    apps = _active(sel, board)
    recused: dict[int, set[int]] = {}
    for judge_id, app_id in Recusal.objects.filter(selection=sel).values_list("judge_id", "application_id"):
        recused.setdefault(app_id, set()).add(judge_id)
    errors: list[tuple[int, str]] = []
    rows: list[ScoreEntry] = []
    result = EntryResult(correction=correction)
    for pk, value in marks.items():
        app = apps.get(pk)
        problem = _check_candidate(app, pk, Stage.SPEECH, board)
        if problem is None and pk in board.speech_final:
            problem = f"{_who(app)} 的演讲答辩成绩已直接录入"
        if problem is not None:
            errors.append((pk, problem))
            continue
        subject = candidate_subject(sel, app, parties=frozenset(recused.get(pk, ())))
        # Standing aside is about who the judge is: refused as such, whatever else the sheet says.
        authority.require(judge, "selections.judge", subject)
        try:
            score = parse_score(value, f"对 {_who(app)} 的评分")
        except DomainError as e:
            errors.append((pk, str(e)))
            continue
        before = board.marks.get(pk, {}).get(judge.pk)
        if before is not None and before.score == score:
            result.unchanged += 1
            continue
        rows.append(
            ScoreEntry(
                application_id=pk, stage=Stage.SPEECH, judge=judge, score=score, correction=correction, reason=reason,
                source=Source.JUDGE, entered_by=judge,
            )
        )
    if errors:
        raise ScoresRefused(errors)
    ScoreEntry.objects.bulk_create(rows)
    result.written = len(rows)
    return result


# --- stages --------------------------------------------------------------------------------------


@transaction.atomic
def stage_complete(*, selection: Selection | int, actor: User, stage: str) -> Selection:
    """HR marks a stage complete: its entries are locked (later ones are corrections). Two HR users
    at once complete it once: the row lock serialises them and the second finds it done."""
    if stage not in COMPLETABLE:
        raise SelectionError("阶段应为 review（资格审查）、written（笔试）、speech（演讲答辩）或 democratic（民主测评）")
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    label = STAGE_LABELS[stage]
    own = STAGES[stage]
    if sel.state != own:
        if sel.state != S.CANCELLED and index(sel.state) > index(own):
            raise SelectionError(f"竞聘“{sel.code}”的{label}阶段已经完成")
        raise SelectionError(f"竞聘“{sel.code}”当前为“{state_label(sel.state)}”阶段，不能确认{label}")
    board = scoreboard(sel)
    if stage == "review":
        pending = [a.employee.name for a in board.applications if a.review == Review.PENDING]
        if pending:
            raise SelectionError(f"还有 {len(pending)} 人未作资格审查：{'、'.join(pending[:10])}")
        confirmed = sum(1 for a in board.applications if a.review == Review.CONFIRMED)
        note = f"资格审查通过 {confirmed} 人，未通过 {len(board.applications) - confirmed} 人"
    elif stage == "written":
        passed = sum(1 for a in board.applications if board.passed_written(a.pk))
        note = f"笔试成绩 {len(board.written)} 人，达到合格线 {board.scheme.pass_line} 的 {passed} 人进入面试"
    elif stage == "speech":
        judges = Judge.objects.filter(selection=sel).count()
        note = f"评委 {judges} 人；演讲答辩成绩 {sum(1 for a in board.applications if board.speech(a.pk) is not None)} 人"
    else:
        note = f"民主测评成绩 {sum(1 for a in board.applications if board.democratic(a.pk) is not None)} 人"
    move(sel, f"complete_{stage}", actor=actor, note=note)
    return sel


# --- a file of scores (SPEC 6 selection_scores) --------------------------------------------------

# A file of scores is the interchange's kind: its own right (org.authority), held over the
# selection's unit and, like every act about one candidate, recused per row.
IMPORT_RIGHT = "import.selection_scores"


@dataclass
class ImportCheck:
    """What importing a file's rows would do to one selection: the refused (application, stage,
    reason), how many entries would be written and how many values are already the ones that count."""

    errors: list[tuple[int, str, str]]
    written: int = 0
    unchanged: int = 0


def _stage_open(sel: Selection, stage: str) -> str | None:
    try:
        mode = entry_mode(sel, stage)
    except SelectionError as e:
        return str(e)
    if mode == "correction":
        return f"{STAGE_LABELS[stage]}阶段已确认，文件导入不能更正；请在竞聘纪实页面逐条录入更正并说明理由"
    return None


@transaction.atomic
def scores_import(
    *, selection: Selection | int, actor: User | None, rows: Mapping[int, Mapping[str, object]], write: bool
) -> ImportCheck:
    """Scores from a file (SPEC 6): application id → {stage: score}. A value equal to the one that
    counts (an exported file imported back) writes nothing; any other needs its stage open — a
    file carries no reason, so a locked stage is corrected on the page. `speech` is the final
    演讲答辩 score where no judge's sheet is entered, `democratic` the final 民主测评 score where no
    ballots are. With `write`, and nothing refused, the entries are written (source: import).
    `actor` None is the command line (the installation's operator)."""
    sel = lock(selection)
    if actor is not None:
        authority.require(actor, IMPORT_RIGHT, sel.org_unit)
    board = scoreboard(sel)
    apps = _active(sel, board)
    closed = {stage: _stage_open(sel, stage) for stage in Stage.values}
    current = {
        Stage.WRITTEN: lambda pk: board.written[pk].score if pk in board.written else None,
        Stage.SPEECH: board.speech,
        Stage.DEMOCRATIC: board.democratic,
    }
    check = ImportCheck(errors=[])
    entries: list[ScoreEntry] = []
    for pk, values in rows.items():
        app = apps.get(pk)
        for stage, value in values.items():
            label = STAGE_LABELS[stage]
            try:
                score = parse_score(value, f"{label}成绩")
            except SelectionError as e:
                check.errors.append((pk, stage, str(e)))
                continue
            if app is not None and current[stage](pk) == score:
                check.unchanged += 1
                continue
            problem = closed[stage] or _check_candidate(app, pk, stage, board)
            if problem is None and stage == Stage.SPEECH and board.marks.get(pk):
                problem = f"{_who(app)} 已有评委评分，演讲答辩成绩按评委评分计算"
            if problem is None and stage == Stage.DEMOCRATIC and pk in board.ballots:
                problem = f"{_who(app)} 已录入民主测评票数，成绩按票数计算"
            if problem is None and actor is not None:
                problem = authority.explain(actor, IMPORT_RIGHT, candidate_subject(sel, app))
            if problem is not None:
                check.errors.append((pk, stage, problem))
                continue
            entries.append(ScoreEntry(application_id=pk, stage=stage, score=score, source=Source.IMPORT, entered_by=actor))
    check.written = len(entries)
    if write and not check.errors:
        ScoreEntry.objects.bulk_create(entries)
    return check
