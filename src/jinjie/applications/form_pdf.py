"""The printable 申报表 of one application (PDF): who applied for what, the check frozen at the
round's close, the reviewer's marks and every decision of its route.

Like the notice (approvals.notice_pdf) it uses reportlab's built-in CJK font STSong-Light, so
Chinese prints with no font installed on the server. It reads only what is stored: the frozen
check, not a check run again today.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jinjie.approvals.models import ApprovalStep, NoticeItem
from jinjie.rules.ladder import ROUTE_STEP_LABELS

from .models import Application
from .selectors import status_detail

__all__ = ["render_application_pdf"]

FONT = "STSong-Light"
WIDTH = 170 * mm


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class _Doc:
    def __init__(self) -> None:
        self.cell = ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=13, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=self.cell, alignment=TA_CENTER)
        self.h2 = ParagraphStyle("h2", fontName=FONT, fontSize=12, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm)
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
        self.title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER)
        self.sub = ParagraphStyle("sub", fontName=FONT, fontSize=10, leading=15, alignment=TA_CENTER, spaceAfter=5 * mm)

    def p(self, text, style=None) -> Paragraph:
        return Paragraph(escape(str(text if text is not None else "")), style or self.cell)

    def table(self, rows: list[list], widths: list[float], *, header: bool = True) -> Table:
        data = [[self.p(x, self.head if header and i == 0 else None) for x in row] for i, row in enumerate(rows)]
        table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
        table.setStyle(TableStyle(style))
        return table


def _facts(doc: _Doc, a: Application) -> Table:
    e, r = a.employee, a.round
    applied_by = _who(a.applied_by) + ("（代为申报）" if a.applied_by.employee_id != e.pk else "")
    version = f"v{a.rulebook.version}" if a.rulebook else "—"
    rows = [
        ["姓名", e.name, "工号", e.employee_no],
        ["所属单位", e.org_unit.path, "岗位序列", e.track],
        ["申报等级", a.level, "当前状态", status_detail(a)],
        ["申报批次", r.title, "资格审查基准日", f"{r.check_date:%Y-%m-%d}"],
        ["申报时间", _when(a.applied_at), "申报人", applied_by],
        ["资格审查时间", _when(a.checked_at) or "尚未审查（申报期满后统一审查）", "申报条件版本", version],
    ]
    table = doc.table(rows, [26 * mm, 59 * mm, 28 * mm, 57 * mm], header=False)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f4f4")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f4f4f4"))]))
    return table


def render_application_pdf(application: Application) -> bytes:
    """The 申报表 of `application` (loaded with employee, round, rulebook, reviewer) as an A4 PDF."""
    _register_font()
    doc = _Doc()
    a = application
    frozen = a.checked_at is not None
    story: list = [
        Paragraph("专卖管理员等级申报表", doc.title),
        Paragraph(escape(f"{a.round.title}　申报编号 {a.pk}"), doc.sub),
        _facts(doc, a),
        Paragraph("一、资格审查（自动核对的条件）", doc.h2),
        doc.p(
            f"按 {a.round.check_date:%Y-%m-%d} 的数据核对，" + ("结果已于申报截止时冻结，此后导入的数据不改变该结果。" if frozen
                                                           else "以下为申报时的核对结果，申报期满后将重新审查并冻结。"),
            doc.body,
        ),
        Spacer(1, 2 * mm),
        doc.table(
            [["条件", "要求", "实际", "结论"]]
            + [[c["label"], c["required"], c["actual"] or "—", "符合" if c["ok"] else "不符合"] for c in a.checks],
            [52 * mm, 48 * mm, 52 * mm, 18 * mm],
        ),
        Paragraph("二、评审认定（专卖监督管理科）", doc.h2),
    ]
    if a.marks:
        story.append(doc.table(
            [["认定项", "认定结果"]] + [[m["label"], "符合" if m["ok"] else "不符合"] for m in a.marks],
            [140 * mm, 30 * mm],
        ))
        story.append(Spacer(1, 2 * mm))
        story.append(doc.p(f"审核意见：{a.review_comment or '无'}　审核人：{_who(a.reviewed_by)}　{_when(a.reviewed_at)}", doc.body))
    else:
        items = "；".join(m["label"] for m in a.manual_items) or "无"
        story.append(doc.p(f"尚未审核。需认定：{items}", doc.body))
    story.append(Paragraph("三、审批记录", doc.h2))
    steps = list(ApprovalStep.objects.filter(proposal_id=a.proposal_id).select_related("actor").order_by("sequence")) if a.proposal_id else []
    if steps:
        story.append(doc.table(
            [["环节", "意见", "审批人", "时间", "说明"]]
            + [[ROUTE_STEP_LABELS.get(s.step, s.step), s.get_decision_display(), _who(s.actor), _when(s.decided_at), s.comment]
               for s in steps],
            [26 * mm, 18 * mm, 26 * mm, 30 * mm, 70 * mm],
        ))
    else:
        story.append(doc.p("尚无审批记录。" if a.proposal_id else "审核通过后进入审批流程。", doc.body))
    item = NoticeItem.objects.filter(proposal_id=a.proposal_id).select_related("notice").first() if a.proposal_id else None
    if item is not None:
        n = item.notice
        story.append(Spacer(1, 2 * mm))
        story.append(doc.p(f"公示：{n.title}，{n.start_date:%Y-%m-%d} 至 {n.end_date:%Y-%m-%d}", doc.body))
    if a.proposal_id and a.proposal.state == "applied":
        story.append(doc.p(f"取得等级：{a.level}，{a.proposal.effective_date:%Y-%m-%d} 起。", doc.body))
    story.append(Spacer(1, 8 * mm))
    story.append(doc.p(f"打印时间：{timezone.localtime():%Y-%m-%d %H:%M}", doc.body))
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title="专卖管理员等级申报表", author=a.round.org_unit.name, subject=a.level, invariant=True,
    )
    pdf.build(story)
    return buffer.getvalue()
