"""The public notice (公示) as a document: the context the HTML page renders, and a PDF.

The PDF uses reportlab's built-in CJK font (STSong-Light, an Adobe CID font every PDF reader
has), so Chinese prints with no font installed on the server. Both read only what the notice
stored when it was published: a notice, once public, always reads the same.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jinjie.evaluations.models import ProposalKind

from .channels import channel_of
from .models import DayKind, Notice

__all__ = ["COLUMNS", "OBJECTION_OFFICE", "notice_context", "render_notice_pdf"]

FONT = "STSong-Light"
OBJECTION_OFFICE = "考评委员会办公室"
COLUMNS = (
    ("position", "序号"),
    ("name", "姓名"),
    ("unit_name", "所属单位"),
    ("from_rank", "原职级"),
    ("to_rank", "拟晋升职级"),
    ("move_label", "变动类别"),
)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def notice_context(notice: Notice) -> dict[str, Any]:
    """Everything a notice shows, in reading order: for the HTML page and the PDF alike. The words
    that differ between channels (a promotion, an appointment …) are the channel's."""
    items = list(notice.items.select_related("proposal").order_by("position"))
    rows = [{key: getattr(item, key) for key, _ in COLUMNS} for item in items]
    channel = channel_of(items[0].proposal.kind if items else ProposalKind.EVALUATION)
    labels = {key: label for key, label in COLUMNS} | dict(zip(("from_rank", "to_rank"), channel.notice_columns, strict=True))
    day_kind = DayKind(notice.day_kind).label
    period = f"{_cn_date(notice.start_date)}至{_cn_date(notice.end_date)}"
    issuer = notice.org_unit.name
    return {
        "notice": notice,
        "title": notice.title,
        "unit_name": issuer,
        "unit_path": notice.org_unit.path,
        "published_on": notice.published_on,
        "published_on_text": _cn_date(notice.published_on),
        "start_date": notice.start_date,
        "end_date": notice.end_date,
        "days": notice.days,
        "day_kind": notice.day_kind,
        "day_kind_label": day_kind,
        "period_text": period,
        "intro": channel.notice_intro.format(issuer=issuer, count=len(rows)),
        "period_sentence": f"公示期为{period}（{notice.days}个{day_kind}）。",
        "columns": [labels[key] for key, _ in COLUMNS],
        "column_keys": [key for key, _ in COLUMNS],
        "rows": rows,
        "count": len(rows),
        "objection_text": (
            "公示期间，任何单位和个人对公示对象如有异议，可通过本系统“提出异议”或以书面形式向"
            f"{OBJECTION_OFFICE}反映。反映情况应实事求是、具体明确；受理部门对反映人信息予以保密。"
        ),
        "objection_office": OBJECTION_OFFICE,
        "objection_contact": f"异议受理：{issuer}{OBJECTION_OFFICE}",
        "issuer": issuer,
        "issuer_committee": channel.notice_signature.format(issuer=issuer),
        "signature_date": _cn_date(notice.published_on),
    }


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render_notice_pdf(notice: Notice) -> bytes:
    """The notice as an A4 PDF (bytes): title, body, the table, how to object, unit and date."""
    _register_font()
    ctx = notice_context(notice)
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8 * mm)
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=14, alignment=TA_CENTER, wordWrap="CJK")
    right = ParagraphStyle("right", fontName=FONT, fontSize=12, leading=20, alignment=TA_RIGHT)

    data = [[Paragraph(label, cell) for label in ctx["columns"]]]
    for row in ctx["rows"]:
        data.append([Paragraph(str(row[key]), cell) for key in ctx["column_keys"]])
    table = Table(data, colWidths=[12 * mm, 24 * mm, 46 * mm, 24 * mm, 28 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [
        Paragraph(ctx["title"], title),
        Paragraph(ctx["intro"], body),
        Paragraph(ctx["period_sentence"], body),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(ctx["objection_text"], body),
        Paragraph(ctx["objection_contact"], body),
        Spacer(1, 14 * mm),
        Paragraph(ctx["issuer_committee"], right),
        Paragraph(ctx["signature_date"], right),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=20 * mm,
        title=ctx["title"], author=ctx["issuer_committee"], subject="公示", invariant=True,
    )
    doc.build(story)
    return buffer.getvalue()
