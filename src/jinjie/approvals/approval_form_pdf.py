"""The 晋级审批表 (promotion approval form) as a PDF: one A4 page per proposal, for the leaders who sign.

Each page shows the employee, the move, every criterion of the evaluation with its verdict, and the
route step by step: who decided, when, what they said — the committee's decisions with their
meeting (date, minutes' number, attendees) — and, for the steps still ahead, lines to sign. Like the
notice, it uses reportlab's built-in CJK font (STSong-Light): nothing to install on the server.

`approval_forms(proposals)` reads what the pages need in a fixed number of queries whatever the
number of proposals; `render_approval_forms` lays them out.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from jinjie.evaluations.models import Proposal

from .models import ApprovalStep, NoticeItem, Objection
from .notice_pdf import FONT, _register_font
from .workflow import state_label, step_label

__all__ = ["MAX_FORMS", "ApprovalForm", "approval_forms", "render_approval_forms"]

MAX_FORMS = 200  # one PDF made in the request: a batch for a meeting
# A larger batch is made by a background job (ops.job_kinds), up to a city's (~1 s per 100 forms).
MAX_FORMS_IN_A_JOB = 3000
TITLE = "晋级审批表"


@dataclass
class FormStep:
    step: str
    label: str
    decisions: list[ApprovalStep] = field(default_factory=list)


@dataclass
class ApprovalForm:
    proposal: Proposal
    steps: list[FormStep]
    notice_title: str = ""
    notice_period: str = ""
    objections: int = 0


def approval_forms(proposals: Sequence[Proposal]) -> list[ApprovalForm]:
    """The forms of `proposals` (loaded with employee and unit; the caller has scoped them), in
    their order. Three queries: the decided steps (with actor and meeting), notices, objections."""
    ids = [p.pk for p in proposals]
    decided: dict[int, list[ApprovalStep]] = defaultdict(list)
    for row in ApprovalStep.objects.filter(proposal_id__in=ids).select_related("actor", "meeting").order_by("sequence"):
        decided[row.proposal_id].append(row)
    notices = {
        item.proposal_id: item.notice
        for item in NoticeItem.objects.filter(proposal_id__in=ids).select_related("notice")
    }
    objections: dict[int, int] = defaultdict(int)
    for proposal_id in Objection.objects.filter(proposal_id__in=ids).values_list("proposal_id", flat=True):
        objections[proposal_id] += 1
    forms = []
    for p in proposals:
        by_step: dict[str, list[ApprovalStep]] = defaultdict(list)
        for row in decided[p.pk]:
            by_step[row.step].append(row)
        steps = [FormStep(step, step_label(step), by_step.get(step, [])) for step in (p.route or [])]
        notice = notices.get(p.pk)
        forms.append(
            ApprovalForm(
                proposal=p,
                steps=steps,
                notice_title=notice.title if notice else "",
                notice_period=f"{notice.start_date} 至 {notice.end_date}" if notice else "",
                objections=objections[p.pk],
            )
        )
    return forms


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class _Styles:
    def __init__(self) -> None:
        self.title = ParagraphStyle("t", fontName=FONT, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2 * mm)
        self.sub = ParagraphStyle("s", fontName=FONT, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.cell = ParagraphStyle("c", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT, wordWrap="CJK")
        self.head = ParagraphStyle("h", parent=self.cell, alignment=TA_CENTER)
        self.small = ParagraphStyle("m", fontName=FONT, fontSize=8, leading=11, alignment=TA_LEFT, wordWrap="CJK")


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _basics(form: ApprovalForm, st: _Styles) -> Table:
    p, e = form.proposal, form.proposal.employee
    version = f"v{p.rulebook.version}" if p.rulebook_id and p.rulebook else "—"
    rows = [
        ["姓名", e.name, "工号", e.employee_no],
        ["所属单位", e.org_unit.path, "", ""],
        ["岗位序列", e.track, "测评期", p.period or "—"],
        ["原职级", p.from_rank, "拟任职级", p.to_rank],
        ["变动类别", p.get_move_display(), "评定标准", version],
        ["结论", p.summary or "—", "", ""],
    ]
    data = [[_p(v, st.head if i % 2 == 0 else st.cell) for i, v in enumerate(row)] for row in rows]
    table = Table(data, colWidths=[24 * mm, 61 * mm, 24 * mm, 61 * mm])
    table.setStyle(_GRID)
    table.setStyle(TableStyle([("SPAN", (1, 1), (3, 1)), ("SPAN", (1, 5), (3, 5)),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f0f0f0"))]))
    return table


def _criteria(form: ApprovalForm, st: _Styles) -> Table:
    data = [[_p(h, st.head) for h in ("评定依据", "要求", "实际", "结论")]]
    for r in form.proposal.reasons or []:
        verdict = "符合" if r.get("passed") else "不符合"
        data.append([_p(r.get("label", ""), st.cell), _p(r.get("required", ""), st.cell),
                     _p(r.get("actual", "") or "—", st.cell), _p(verdict, st.head)])
    if len(data) == 1:
        data.append([_p("无", st.cell), "", "", ""])
    table = Table(data, colWidths=[50 * mm, 50 * mm, 50 * mm, 20 * mm], repeatRows=1)
    table.setStyle(_GRID)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0"))]))
    return table


def _decision_text(d: ApprovalStep) -> str:
    who = (d.actor.get_full_name() or d.actor.username) if d.actor_id else "系统"
    lines = [f"{d.get_decision_display()}　{who}　{timezone.localtime(d.decided_at):%Y-%m-%d}"]
    if d.comment:
        lines.append(f"意见：{d.comment}")
    if d.meeting_id:
        m = d.meeting
        lines.append(f"会议：{m.held_on}，纪要 {m.minutes_no}；出席：{m.attendees}")
    return "\n".join(lines)


def _route(form: ApprovalForm, st: _Styles) -> Table:
    data = [[_p("审批环节", st.head), _p("意见、签字及日期", st.head)]]
    for s in form.steps:
        if s.decisions:
            text = "\n".join(_decision_text(d) for d in s.decisions)
            if s.step == "notice" and form.notice_title:
                text = f"{form.notice_title}（{form.notice_period}），异议 {form.objections} 件\n{text}"
        elif s.step == "notice":
            text = f"{form.notice_title}（{form.notice_period}）\n公示中" if form.notice_title else "待公示"
        else:
            text = "意见：\n\n签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"
        data.append([_p(s.label, st.head), _p(text, st.cell)])
    if len(data) == 1:
        data.append([_p("—", st.head), _p("无需审批", st.cell)])
    table = Table(data, colWidths=[30 * mm, 140 * mm])
    table.setStyle(_GRID)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0"))]))
    return table


def render_approval_forms(forms: Sequence[ApprovalForm], *, printed_on: date | None = None) -> bytes:
    """One A4 page (or more, for a long route) per form, each starting on its own page."""
    _register_font()
    st = _Styles()
    printed_on = printed_on or timezone.localdate()
    story: list = []
    for i, form in enumerate(forms):
        p, unit = form.proposal, form.proposal.employee.org_unit
        if i:
            story.append(PageBreak())
        story += [
            _p(TITLE, st.title),
            _p(f"{unit.path}　·　建议 #{p.pk}　·　当前状态：{state_label(p.state)}", st.sub),
            _basics(form, st),
            Spacer(1, 4 * mm),
            _criteria(form, st),
            Spacer(1, 4 * mm),
            KeepTogether([_route(form, st)]),
            Spacer(1, 3 * mm),
            _p(f"打印日期：{_cn_date(printed_on)}。本表由晋阶系统按审批记录生成，审批意见以系统记录为准。", st.small),
        ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=16 * mm,
        title=TITLE, author="晋阶", subject=TITLE, invariant=True,
    )
    doc.build(story or [_p("没有可打印的建议", st.cell)])
    return buffer.getvalue()
