"""Writes of 申报 (SPEC 3.1): open and close rounds, apply, withdraw, review.

Every public function is keyword-only and runs in ONE transaction: it locks the rows it will
change first (the round, then applications in id order), re-reads their state, checks everything
(org.authority, the state machine in workflow.py, the conditions in eligibility.py) and only then
writes — the change and its ApplicationTransition log rows together. A refusal raises a
DomainError with the Chinese sentence and writes nothing.

`today` is the day the act happens (default: the workflow's clock, Asia/Shanghai); the command
line and the demo pass it, the pages and the API never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from jinjie.approvals import clock
from jinjie.approvals import workflow as proposal_workflow
from jinjie.approvals.models import ProposalTransition
from jinjie.core.errors import BatchRefused
from jinjie.evaluations.models import Move, Proposal, ProposalKind, ProposalState
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.people.models import Employee
from jinjie.rulebooks.selectors import parsed_rulebook
from jinjie.rules.ladder import MONOPOLY_LEVELS, ROUTE_STEP_LABELS

from .checks import window_refusal
from .eligibility import Assessment, assess, expected_rank, monopoly_book_at
from .models import (
    Application,
    ApplicationRound,
    ApplicationState,
    ApplicationTransition,
    QualifiedCandidate,
    QualifiedSnapshot,
)
from .selectors import qualified_candidates, standing_applications
from .workflow import ApplicationError, applied, transition

__all__ = [
    "CloseResult",
    "application_apply",
    "application_review",
    "application_withdraw",
    "applications_apply_batch",
    "qualified_compute",
    "round_close",
    "round_open",
    "rounds_close_due",
]

S = ApplicationState
DEFAULT_ROUTE = ("committee", "notice")
MAX_TITLE = 100
MAX_COMMENT = 2000
MAX_BATCH = 1000
_MAX_PK = 2**63 - 1


class BatchApplicationError(BatchRefused, ApplicationError):
    item_label = "员工"


def _pk(obj, what: str) -> int:
    pk = obj if isinstance(obj, int) and not isinstance(obj, bool) else getattr(obj, "pk", None)
    if not isinstance(pk, int) or not 0 < pk <= _MAX_PK:
        raise ApplicationError(f"{what}不存在")
    return pk


def _lock_round(round: ApplicationRound | int) -> ApplicationRound:
    found = (
        ApplicationRound.objects.select_for_update(of=("self",)).select_related("org_unit")
        .filter(pk=_pk(round, "申报批次")).first()
    )
    if found is None:
        raise ApplicationError("申报批次不存在")
    return found


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.pk else None


# --- rounds ----------------------------------------------------------------------------------------


def _levels(levels) -> list[str]:
    if isinstance(levels, str) or not isinstance(levels, Iterable):
        raise ApplicationError(f"请选择开放申报的等级：{'、'.join(MONOPOLY_LEVELS)}")
    wanted = list(levels)
    unknown = [str(x)[:20] for x in wanted if x not in MONOPOLY_LEVELS]
    if unknown:
        raise ApplicationError(f"未知的专卖管理员等级：{'、'.join(unknown)}；应为：{'、'.join(MONOPOLY_LEVELS)}")
    if not wanted:
        raise ApplicationError("请至少开放一个等级")
    return [level for level in MONOPOLY_LEVELS if level in wanted]


@transaction.atomic
def round_open(
    *,
    actor: User,
    title: str,
    org_unit: OrgUnit,
    levels: Iterable[str],
    opens: date,
    closes: date,
    check_date: date | None = None,
    today: date | None = None,
) -> ApplicationRound:
    """HR opens a round (申报批次) for `org_unit`'s subtree: the levels open, the window
    [opens, closes] and the check date (default: closes, SPEC 3.1)."""
    if not isinstance(org_unit, OrgUnit):
        raise ApplicationError("请选择批次范围(单位)")
    authority.require(actor, "rounds.manage", org_unit)
    today = today or clock.today()
    title = (title or "").strip()
    if not title:
        raise ApplicationError("请填写批次名称")
    if len(title) > MAX_TITLE:
        raise ApplicationError(f"批次名称不能超过 {MAX_TITLE} 字")
    levels = _levels(levels)
    for what, day in (("申报开始日期", opens), ("申报截止日期", closes), ("资格审查基准日", check_date)):
        if day is not None and (not isinstance(day, date) or not 2000 <= day.year <= 2100):
            raise ApplicationError(f"{what}不合理")
    if opens is None or closes is None:
        raise ApplicationError("请填写申报开始和截止日期")
    if opens > closes:
        raise ApplicationError(f"申报开始日期（{opens}）晚于截止日期（{closes}）")
    if closes < today:
        raise ApplicationError(f"申报截止日期（{closes}）已过，不能发起")
    check_date = check_date or closes
    # Closing freezes the facts stored then: a later check date would be judged on facts not yet known.
    if check_date > closes:
        raise ApplicationError(f"资格审查基准日（{check_date}）不能晚于申报截止日期（{closes}）")
    monopoly_book_at(check_date)
    return ApplicationRound.objects.create(
        title=title, org_unit=org_unit, levels=levels, opens=opens, closes=closes, check_date=check_date,
        created_by=_actor(actor),
    )


@dataclass
class CloseResult:
    """One round closed: how many applications passed the check and how many did not."""

    round: ApplicationRound
    checked: int = 0
    ineligible: int = 0
    ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.round.title}：资格审查通过 {self.checked} 人，未通过 {self.ineligible} 人"


def _close(round: ApplicationRound, *, actor: User | None, today: date) -> CloseResult:
    """Check every submitted application of a locked round at its check date and freeze the result."""
    now = timezone.now()
    round.closed_on, round.closed_at, round.closed_by = today, now, _actor(actor)
    round.save(update_fields=["closed_on", "closed_at", "closed_by"])
    result = CloseResult(round=round)
    apps = list(
        Application.objects.select_for_update(of=("self",))
        .filter(round=round, state=S.SUBMITTED)
        .select_related("employee", "employee__org_unit")
        .order_by("pk")
    )
    if not apps:
        return result
    book = monopoly_book_at(round.check_date)
    found = assess(round, [a.employee for a in apps], levels={a.employee_id: a.level for a in apps}, book=book)
    log: list[ApplicationTransition] = []
    who = "人事劳资截止" if actor is not None else "申报期满"
    for a in apps:
        assessment = found[a.employee_id]
        a.checks, a.checked_at, a.rulebook = assessment.frozen(), now, book[0]
        a.manual_items = assessment.manual_items()
        a.updated_at = now
        if assessment.ok:
            log.append(transition(a, "pass", actor=actor, note=f"{who}，按 {round.check_date} 审查，条件均符合"))
            result.checked += 1
        else:
            log.append(transition(a, "fail", actor=actor, note=f"{who}，按 {round.check_date} 审查，{assessment.gap}"))
            result.ineligible += 1
        result.ids.append(a.pk)
    Application.objects.bulk_update(
        apps, ["state", "checks", "checked_at", "rulebook", "manual_items", "updated_at"], batch_size=500
    )
    ApplicationTransition.objects.bulk_create(log)
    return result


@transaction.atomic
def round_close(*, actor: User, round: ApplicationRound | int, today: date | None = None) -> CloseResult:
    """HR closes a round — early, or after its window without waiting for `apply-due`: no more
    applications or withdrawals, and every application is checked at the check date, frozen."""
    locked = _lock_round(round)
    authority.require(actor, "rounds.manage", locked.org_unit)
    if locked.closed_at is not None:
        raise ApplicationError(f"“{locked.title}”已于 {locked.closed_on} 截止，资格审查已完成")
    return _close(locked, actor=actor, today=today or clock.today())


@transaction.atomic
def rounds_close_due(*, today: date | None = None) -> list[CloseResult]:
    """`jinjie apply-due`: close every round whose window ended before `today` (from the day after
    `closes`). Rows are locked with SKIP LOCKED and filtered, so two runs close each round once."""
    today = today or clock.today()
    due = list(
        ApplicationRound.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(closed_at__isnull=True, closes__lt=today)
        .select_related("org_unit")
        .order_by("pk")
    )
    return [_close(r, actor=None, today=today) for r in due]


# --- applying --------------------------------------------------------------------------------------


def _refusal(assessment: Assessment) -> str:
    name = assessment.employee.name
    what = f"申报{assessment.level}" if assessment.level else "申报专卖管理员等级"
    return f"{name} 不能{what}，还差：{'；'.join(assessment.unmet)}"


def _new(round: ApplicationRound, assessment: Assessment, *, actor: User) -> Application:
    return Application(
        round=round, employee=assessment.employee, level=assessment.level, state=S.SUBMITTED, applied_by=actor,
        checks=assessment.frozen(), rulebook=assessment.rulebook, manual_items=assessment.manual_items(),
    )


def _apply_many(
    round: ApplicationRound, employees: list[Employee], *, actor: User, wanted: Mapping[int, str] | None, today: date
) -> list[Application]:
    if refusal := window_refusal(round, today):
        raise ApplicationError(refusal)
    errors: list[tuple[int, str]] = []
    allowed: list[Employee] = []
    for e in employees:
        if refusal := authority.explain(actor, "applications.apply", e):
            errors.append((e.pk, f"{e.name}：{refusal}"))
        else:
            allowed.append(e)
    if errors and len(employees) == 1:
        authority.require(actor, "applications.apply", employees[0])
    standing = standing_applications([e.pk for e in allowed], round)
    found = assess(round, allowed, levels=wanted)
    apps: list[Application] = []
    for e in allowed:
        assessment = found[e.pk]
        if e.pk in standing:
            errors.append((e.pk, f"{e.name} {standing[e.pk]}"))
        elif not assessment.ok:
            errors.append((e.pk, _refusal(assessment)))
        else:
            apps.append(_new(round, assessment, actor=actor))
    if errors:
        if len(employees) == 1:
            raise ApplicationError(errors[0][1])
        raise BatchApplicationError(errors)
    try:
        with transaction.atomic():
            # Both databases return the new ids (PostgreSQL, SQLite ≥ 3.35: RETURNING).
            Application.objects.bulk_create(apps)
    except IntegrityError:
        # Another request applied for one of them a moment ago (the unique constraint says so).
        raise ApplicationError(f"已在“{round.title}”中申报（一个批次只能申报一次），请刷新后再看") from None
    log = []
    for a in apps:
        note = f"按 {round.check_date} 审查，自动核对的条件均符合"
        if actor.employee_id != a.employee_id:
            note = f"由{actor.get_full_name() or actor.username}代为申报；{note}"
        log.append(applied(a, actor=actor, note=note))
    ApplicationTransition.objects.bulk_create(log)
    return apps


def _employee(employee: Employee | int) -> Employee:
    found = Employee.objects.select_related("org_unit").filter(pk=_pk(employee, "员工")).first()
    if found is None:
        raise ApplicationError("员工不存在")
    return found


@transaction.atomic
def application_apply(
    *, actor: User, round: ApplicationRound | int, employee: Employee | int, level: str | None = None,
    today: date | None = None,
) -> Application:
    """Apply for `employee`'s next level in `round` — the employee themself, or HR on their behalf.

    Inside the window only; one application per employee per round; the next level only (when
    `level` is given it must be that one) and a level the round opens; no management post. The
    automatic conditions are checked at the round's check date with the facts stored now: if any
    fails, nothing is stored and the refusal names every unmet one ("还差: …").
    """
    locked = _lock_round(round)
    if level is not None and level not in MONOPOLY_LEVELS:
        raise ApplicationError(f"未知的专卖管理员等级“{str(level)[:20]}”，应为：{'、'.join(MONOPOLY_LEVELS)}")
    person = _employee(employee)
    wanted = {person.pk: level} if level else None
    (created,) = _apply_many(locked, [person], actor=actor, wanted=wanted, today=today or clock.today())
    return created


@transaction.atomic
def applications_apply_batch(
    *, actor: User, round: ApplicationRound | int, employees: Iterable[Employee | int], today: date | None = None
) -> list[Application]:
    """HR applies on behalf of a chosen set (from the qualified list), each for their next level.
    All or nothing: BatchRefused lists every employee who cannot apply, and why."""
    locked = _lock_round(round)
    ids = sorted({_pk(e, "员工") for e in employees})
    if not ids:
        raise ApplicationError("请至少选择一名员工")
    if len(ids) > MAX_BATCH:
        raise ApplicationError(f"一次最多代为申报 {MAX_BATCH} 人")
    people = list(Employee.objects.select_related("org_unit").filter(pk__in=ids).order_by("pk"))
    missing = sorted(set(ids) - {e.pk for e in people})
    if missing:
        raise ApplicationError(f"员工不存在：{'、'.join(f'#{pk}' for pk in missing)}")
    return _apply_many(locked, people, actor=actor, wanted=None, today=today or clock.today())


def _lock_application(application: Application | int) -> Application:
    found = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "round__org_unit", "employee", "employee__org_unit")
        .filter(pk=_pk(application, "申报")).first()
    )
    if found is None:
        raise ApplicationError("申报不存在")
    return found


@transaction.atomic
def application_withdraw(*, actor: User, application: Application | int, today: date | None = None) -> Application:
    """Withdraw an application until the window closes (the employee, or HR on their behalf)."""
    a = _lock_application(application)
    authority.require(actor, "applications.withdraw", a.employee)
    today = today or clock.today()
    if a.state != S.SUBMITTED:
        raise ApplicationError(f"该申报当前状态为“{a.get_state_display()}”，只有已申报、尚未审查的申报可以撤回")
    if refusal := window_refusal(a.round, today):
        raise ApplicationError(f"{refusal}，不能再撤回")
    entry = transition(a, "withdraw", actor=actor)
    a.save(update_fields=["state", "updated_at"])
    entry.save()
    return a


# --- the qualified list of a big round ----------------------------------------------------------------


def qualified_compute(*, actor: User | None, round: ApplicationRound | int, progress=None) -> QualifiedSnapshot:
    """Assess every active 专卖管理员 of the round's subtree at its check date and keep the result as
    the round's qualified-list snapshot, replacing the previous one (the `qualified_list` job).

    Everyone is assessed, applied or not: whether an application stands is read live by the page,
    so someone who withdraws shows up again without a recompute. The assessment (seconds for a
    city) reads without locking the round, so applying in it goes on meanwhile; only the
    replacement of the snapshot is one short transaction."""
    found_round = ApplicationRound.objects.select_related("org_unit").filter(pk=_pk(round, "申报批次")).first()
    if found_round is None:
        raise ApplicationError("申报批次不存在")
    if actor is not None:
        authority.require(actor, "rounds.manage", found_round.org_unit)
    report = progress or (lambda stage, done, total: None)
    report("读取人员与条件", 0, None)
    started = timezone.now()  # the facts read are those stored by then: what the page says
    employees = list(qualified_candidates(found_round))
    book = monopoly_book_at(found_round.check_date)
    found = assess(found_round, employees, book=book, gated_checks=False)
    report("保存结果", 0, len(employees))
    with transaction.atomic():
        QualifiedSnapshot.objects.filter(round=found_round).delete()
        snapshot = QualifiedSnapshot.objects.create(
            round=found_round, computed_at=started, computed_by=_actor(actor), rulebook=book[0]
        )
        QualifiedCandidate.objects.bulk_create(
            [QualifiedCandidate(snapshot=snapshot, employee=e, level=found[e.pk].level or "", ok=found[e.pk].ok)
             for e in employees],
            batch_size=2000,
        )
    report("保存结果", len(employees), len(employees))
    return snapshot


# --- review by 专卖监督管理科 -------------------------------------------------------------------------


def _marks(a: Application, items) -> list[dict]:
    if not isinstance(items, Mapping):
        raise ApplicationError("请逐项填写评审认定结果（符合/不符合）")
    codes = [m["code"] for m in a.manual_items]
    unknown = [str(k)[:20] for k in items if k not in codes]
    if unknown:
        raise ApplicationError(f"没有这些评审认定项：{'、'.join(unknown)}")
    missing = [m["label"] for m in a.manual_items if m["code"] not in items]
    if missing:
        raise ApplicationError(f"请逐项认定，尚未认定：{'；'.join(missing)}")
    bad = [str(k) for k, v in items.items() if not isinstance(v, bool)]
    if bad:
        raise ApplicationError(f"认定结果应为 true（符合）或 false（不符合）：{'、'.join(bad)}")
    return [{"code": m["code"], "label": m["label"], "ok": items[m["code"]]} for m in a.manual_items]


def _reasons(a: Application, marks: list[dict]) -> list[dict]:
    """The proposal's reasons: the frozen automatic checks, then the reviewer's marks."""
    rows = [
        {"code": c["code"], "label": c["label"], "required": c["required"], "actual": c["actual"], "passed": c["ok"],
         "text": f"{c['text']} {'✓' if c['ok'] else '✗'}"}
        for c in a.checks
    ]
    for m in marks:
        verdict = "符合" if m["ok"] else "不符合"
        rows.append({"code": m["code"], "label": m["label"], "required": "符合", "actual": verdict, "passed": m["ok"],
                     "text": f"{m['label']}：{verdict} {'✓' if m['ok'] else '✗'}"})
    return rows


def _from_rank(a: Application) -> str:
    """The level the employee holds now, as their record says (taking effect compares the two)."""
    employee = Employee.objects.select_for_update().get(pk=a.employee_id)
    granted = dict(employee.qualifications.values_list("level", "granted_date"))
    if a.level in granted:
        raise ApplicationError(f"{employee.name} 已取得{a.level}，不能再提交审批")
    expected = expected_rank(granted)
    if (employee.current_rank or "见习") != expected:
        raise ApplicationError(
            f"{employee.name} 档案中的当前职级为“{employee.current_rank or '空'}”，与已取得的专卖管理员等级不一致"
            f"（应为“{expected}”），请人事劳资先核对员工档案"
        )
    return employee.current_rank


def _route(book) -> list[str]:
    return list(book.route) if book is not None and book.route else list(DEFAULT_ROUTE)


@transaction.atomic
def application_review(*, actor: User, application: Application | int, items, comment: str = "") -> Application:
    """专卖监督管理科 marks each manual item of the level 符合 / 不符合, with a comment.

    Any 不符合 → rejected, the comment being the reason (required then). All 符合 → reviewed: the
    application gets ONE proposal (kind monopoly, move grant) with the frozen checks and the marks
    as its reasons, the monopoly rule book's route (default committee › notice), submitted into
    review by the reviewer. Two reviewers at once: the row lock lets one through; the other finds
    it reviewed and is refused.
    """
    a = _lock_application(application)
    authority.require(actor, "applications.review", a.employee)
    if a.state != S.CHECKED:
        raise ApplicationError(f"该申报当前状态为“{a.get_state_display()}”，只有资格审查通过的申报可以审核")
    marks = _marks(a, items)
    comment = (comment or "").strip() if isinstance(comment, str) or comment is None else None
    if comment is None:
        raise ApplicationError("审核意见应为文字")
    if len(comment) > MAX_COMMENT:
        raise ApplicationError(f"审核意见不能超过 {MAX_COMMENT} 字")
    failed = [m["label"] for m in marks if not m["ok"]]
    if failed and not comment:
        raise ApplicationError("认定为不符合时，请在审核意见中写明理由")
    now = timezone.now()
    a.marks, a.review_comment, a.reviewed_by, a.reviewed_at = marks, comment, actor, now
    if failed:
        entry = transition(a, "reject", actor=actor, note=f"不符合：{'；'.join(failed)}。{comment}")
        a.save(update_fields=["state", "marks", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
        entry.save()
        return a
    from_rank = _from_rank(a)
    route = _route(parsed_rulebook(a.rulebook) if a.rulebook is not None else None)
    proposal = Proposal.objects.create(
        kind=ProposalKind.MONOPOLY, employee=a.employee, from_rank=from_rank, to_rank=a.level, move=Move.GRANT,
        route=route, reasons=_reasons(a, marks),
        summary=f"申报{a.level}：资格审查通过，评审认定 {len(marks)} 项均符合（{a.round.title}）"[:500],
        rulebook=a.rulebook, state=ProposalState.DRAFT,
    )
    submitted = proposal_workflow.transition(
        proposal, "submit", actor=actor, note=f"专卖管理员等级申报审核通过；首个环节：{ROUTE_STEP_LABELS.get(route[0], route[0])}"
    )
    proposal.save(update_fields=["state"])
    ProposalTransition.objects.bulk_create([submitted])
    a.proposal = proposal
    entry = transition(a, "approve", actor=actor, note=comment or "评审认定项均符合")
    a.save(update_fields=["state", "marks", "review_comment", "reviewed_by", "reviewed_at", "proposal", "updated_at"])
    entry.save()
    return a
