"""The management channel's files (SPEC 4, 6, 7): the selection_scores import and export, the
ranking export (`jinjie export ranking --selection CODE`), and the dossier's workbook (one sheet
per stage). The scores go in through the channel's own service (selections.services.scores_import):
the same checks as the page, all or nothing, every refused cell reported with its row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from jinjie.core.errors import DomainError
from jinjie.core.values import plain_decimal
from jinjie.org import authority
from jinjie.org.scoping import visible_org_units
from jinjie.selections.models import APPLICATION_EVENTS, Application, Selection, SelectionState, Stage
from jinjie.selections.scoring import marks_sealed, scoreboard
from jinjie.selections.selectors import Dossier
from jinjie.selections.services import scores_import
from jinjie.selections.workflow import EVENT_LABELS, state_label

from .kinds import Kind
from .report import RowError, short_value
from .validate import HeaderMap, ParsedRow
from .writers import ExportFormatError, table_format, write_table, write_workbook

__all__ = [
    "RANKING_COLUMNS",
    "SelectionScoresPlanner",
    "apply_selection_scores",
    "dossier_workbook",
    "export_ranking",
    "ranking_rows",
    "selection_score_rows",
]

STAGE_KEYS = (Stage.WRITTEN, Stage.SPEECH, Stage.DEMOCRATIC)
RANKING_COLUMNS = ("post", "employee_no", "name", "written", "speech", "democratic", "total", "position", "inspect", "note")


class RankingExportError(DomainError):
    pass


def _number(value):
    return None if value is None else plain_decimal(value)


# --- the selection_scores import (SPEC 6) ----------------------------------------------------------


class SelectionScoresPlanner:
    """Plans a selection_scores file with the interface services._validate drives (add, check,
    flush; counts; errors). Rows are few (the candidates of a few selections): kept until the end,
    then checked per selection by the channel's service without writing."""

    def __init__(self, kind: Kind, header: HeaderMap, actor) -> None:
        self.kind, self.header, self.actor = kind, header, actor
        self.created = self.updated = self.unchanged = 0
        self.errors: list[RowError] = []
        self._rows: list[ParsedRow] = []
        self.plans: dict[int, dict[int, dict[str, Any]]] = {}  # selection id → application id → stage → score

    def add(self, parsed: ParsedRow) -> None:
        self._rows.append(parsed)

    def check(self, parsed: ParsedRow) -> None:
        """A row with errors of its own: nothing more to look up for it."""

    def _error(self, parsed: ParsedRow, key: str, reason: str) -> None:
        self.errors.append(RowError(parsed.row, self.header.label(self.kind, key), short_value(parsed.values.get(key)), reason))

    def _may_score(self, selection: Selection) -> bool:
        return self.actor is None or authority.allows(self.actor, "import.selection_scores", selection.org_unit)

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        if not rows:
            return
        codes = {r.values["selection"].upper() for r in rows}
        selections = {
            s.code: s for s in Selection.objects.filter(code__in=codes).select_related("org_unit") if self._may_score(s)
        }
        numbers = {r.values["employee_no"] for r in rows}
        applications = {
            (code, no): pk
            for code, no, pk in Application.objects.filter(
                selection__in=list(selections.values()), withdrawn_at__isnull=True, employee__employee_no__in=numbers
            ).values_list("selection__code", "employee__employee_no", "pk")
        }
        where: dict[tuple[int, str], ParsedRow] = {}
        for parsed in rows:
            code = parsed.values["selection"].upper()
            selection = selections.get(code)
            if selection is None:
                self._error(parsed, "selection", "竞聘编号不存在或不在您的管理范围内")
                continue
            app = applications.get((code, parsed.values["employee_no"]))
            if app is None:
                self._error(parsed, "employee_no", f"该员工没有报名竞聘 {code}（或已撤回报名）")
                continue
            values = {stage: parsed.values[stage] for stage in STAGE_KEYS if parsed.values.get(stage) is not None}
            if not values:
                self.unchanged += 1
                continue
            self.plans.setdefault(selection.pk, {})[app] = values
            for stage in values:
                where[(app, stage)] = parsed
        for selection_pk, plan in self.plans.items():
            try:
                result = scores_import(selection=selection_pk, actor=self.actor, rows=plan, write=False)
            except DomainError as e:  # the whole selection refused (e.g. who the importer is)
                for app in plan:
                    parsed = where[(app, next(iter(plan[app])))]
                    self._error(parsed, "selection", str(e))
                continue
            for app, stage, reason in result.errors:
                self._error(where[(app, stage)], stage, reason)
            self.created += result.written
            self.unchanged += result.unchanged


def apply_selection_scores(
    planner: SelectionScoresPlanner,
    *,
    filename: str,
    actor=None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    """Write the plan inside the import's transaction; a selection that changed since the check
    (a stage completed meanwhile …) refuses the whole file."""
    for selection_pk, plan in planner.plans.items():
        result = scores_import(selection=selection_pk, actor=actor, rows=plan, write=True)
        if result.errors:
            raise DomainError("；".join(reason for _, _, reason in result.errors[:5]))
    if progress:
        progress("写入", planner.created, planner.created)


def selection_score_rows(actor=None) -> Iterable[tuple]:
    """Every candidate's three scores as they count now, in the import's format (code, 工号, 笔试,
    演讲答辩, 民主测评): an export imported back changes nothing."""
    selections = Selection.objects.exclude(state=SelectionState.DRAFT).select_related("org_unit")
    if actor is not None:
        selections = selections.filter(org_unit__in=visible_org_units(actor))
    for selection in selections.order_by("code"):
        board = scoreboard(selection, sealed=marks_sealed(selection))
        for app in board.applications:
            written = board.written.get(app.pk)
            yield (
                selection.code,
                app.employee.employee_no,
                _number(written.score if written else None),
                _number(board.speech(app.pk)),
                _number(board.democratic(app.pk)),
            )


# --- the ranking (SPEC 7) ----------------------------------------------------------------------------


def ranking_rows(selection: Selection) -> list[tuple]:
    """`post, employee_no, name, written, speech, democratic, total, position, inspect (1/0), note`
    (while the 演讲答辩 runs, the speech from the judges' marks is not shown: marks_sealed)."""
    board = scoreboard(selection, sealed=marks_sealed(selection))
    apps = {a.pk: a for a in board.applications}
    titles = {p.pk: p.title for p in board.posts}
    return [
        (
            titles[s.post], apps[s.key].employee.employee_no, apps[s.key].employee.name, _number(s.written),
            _number(s.speech), _number(s.democratic), _number(s.total), s.position, 1 if s.inspect else 0, s.note,
        )
        for s in board.standings
    ]


def export_ranking(*, selection: str | Selection, path: str | Path | IO[bytes], fmt: str | None = None) -> int:
    """Write a selection's ranking (by its code, e.g. JP2026-001) to a CSV/XLSX file; the row count."""
    if fmt is None:
        try:
            table_format(path)  # type: ignore[arg-type]
        except ExportFormatError as e:
            raise RankingExportError(str(e)) from None
    if not isinstance(selection, Selection):
        code = str(selection or "").strip().upper()
        found = Selection.objects.filter(code=code).first()
        if found is None:
            raise RankingExportError(f"没有编号为“{code}”的竞聘")
        selection = found
    return write_table(path, RANKING_COLUMNS, ranking_rows(selection), fmt=fmt, sheet_title="ranking")


# --- the dossier's workbook ----------------------------------------------------------------------------


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def dossier_sheets(d: Dossier) -> list[tuple[str, Sequence[str], list[Sequence[Any]]]]:
    """The dossier as sheets: the posting, applications and review, each stage's score sheet
    (every entry, corrections with their reasons), the ranking, the inspections, the decision."""
    sel, board = d.selection, d.board
    posts = {p.pk: p for p in board.posts}
    apps = {a.pk: a for a in d.applications}

    def person(app_id: int) -> tuple[str, str, str]:
        app = apps[app_id]
        return app.post.title, app.employee.employee_no, app.employee.name

    posting = [
        ("竞聘编号", sel.code), ("名称", sel.title), ("组织单位", sel.org_unit.path), ("报名截止日期", sel.deadline),
        ("状态", sel.get_state_display()), ("任前公示", f"{sel.notice_days} 个工作日"),
        *((f"职位：{p.title}", f"职数 {p.places}；{p.duties}") for p in board.posts),
        *(("计分办法", f"{k}: {v}") for k, v in sel.scheme.items()),
    ]
    exceptions = {x.application_id: x for x in d.exceptions}
    applications = []
    for app in d.applications:
        failed = "；".join(r["text"] for r in app.check_result if not r.get("passed"))
        exception = exceptions.get(app.pk)
        applications.append((
            app.post.title, app.employee.employee_no, app.employee.name, app.get_via_display(), _when(app.applied_at),
            _when(app.withdrawn_at), "" if app.eligible is None else ("符合" if app.eligible else "不符合"), failed,
            f"{exception.criterion_label}：{exception.reason}" if exception else "", app.get_review_display(), app.review_reason,
        ))
    written = [
        (*person(e.application_id), _number(e.score), "更正" if e.correction else "", e.reason, e.get_source_display(),
         _who(e.entered_by), _when(e.entered_at))
        for e in board.entries if e.stage == Stage.WRITTEN
    ]
    speech = []
    for e in board.entries:
        if e.stage != Stage.SPEECH:
            continue
        if e.judge_id is not None and not d.sheets_visible:
            continue
        judge = _who(e.judge) if e.judge_id else "（直接录入最终成绩）"
        speech.append((*person(e.application_id), judge, _number(e.score), "更正" if e.correction else "", e.reason,
                       _when(e.entered_at)))
    democratic = [
        (*person(b.application_id), b.excellent, b.competent, b.basic, b.incompetent,
         b.excellent + b.competent + b.basic + b.incompetent, "更正" if b.correction else "", b.reason, _who(b.entered_by),
         _when(b.entered_at))
        for b in board.ballot_entries
    ] + [
        (*person(e.application_id), "", "", "", "", f"成绩 {plain_decimal(e.score)}", "更正" if e.correction else "", e.reason,
         _who(e.entered_by), _when(e.entered_at))
        for e in board.entries if e.stage == Stage.DEMOCRATIC
    ]
    ranking = [
        (posts[s.post].title, apps[s.key].employee.employee_no, apps[s.key].employee.name, _number(s.written), _number(s.speech),
         _number(s.democratic), _number(s.total), s.position, "是" if s.inspect else "否", s.note)
        for s in board.standings
    ]
    inspections = [
        (*person(i.application_id), i.inspectors, i.date, i.conclusion, i.findings, "更正" if i.correction else "", i.reason,
         _who(i.recorded_by))
        for i in board.inspection_entries
    ]
    decision = []
    if d.decision is not None:
        decision.append(("决定人", _who(d.decision.decided_by), _when(d.decision.decided_at), d.decision.reason))
        for a in d.appointees:
            decision.append(("拟任", f"{a.application.employee.name}（{a.post.title}，第 {a.position} 名）",
                             "按名次推荐" if a.proposed else "未按名次", a.proposal.get_state_display()))
    history = [
        (_when(t.at), EVENT_LABELS.get(t.event, t.event), state_label(t.to_state), _who(t.actor), t.note)
        for t in d.transitions
    ]
    events = [
        (_when(e.at), *person(app_id), APPLICATION_EVENTS.get(e.event, e.event), _who(e.actor), e.note)
        for app_id, rows in d.events.items() for e in rows
    ]
    return [
        ("竞聘方案", ("项目", "内容"), posting),
        ("报名与资格审查", ("职位", "工号", "姓名", "报名方式", "报名时间", "撤回时间", "截止日核对", "不符合的条件", "破格", "资格审查", "审查意见"),
         applications),
        ("报名记录", ("时间", "职位", "工号", "姓名", "事项", "操作人", "说明"), events),
        ("笔试", ("职位", "工号", "姓名", "成绩", "更正", "更正理由", "来源", "录入人", "时间"), written),
        ("演讲答辩", ("职位", "工号", "姓名", "评委", "评分", "更正", "更正理由", "时间"), speech),
        ("民主测评", ("职位", "工号", "姓名", "优秀", "称职", "基本称职", "不称职", "有效票", "更正", "更正理由", "录入人", "时间"),
         democratic),
        ("排名", ("职位", "工号", "姓名", "笔试", "演讲答辩", "民主测评", "总成绩", "名次", "列入考察", "说明"), ranking),
        ("考察", ("职位", "工号", "姓名", "考察组", "考察日期", "结论", "考察情况", "更正", "更正理由", "录入人"), inspections),
        ("任用决定", ("项目", "内容", "说明", "状态"), decision),
        ("进程记录", ("时间", "事件", "进入阶段", "操作人", "说明"), history),
    ]


def dossier_workbook(d: Dossier, target: str | Path | IO[bytes]) -> None:
    write_workbook(target, dossier_sheets(d))
