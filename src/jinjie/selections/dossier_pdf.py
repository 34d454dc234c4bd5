"""The whole selection as one PDF (纪实): what an auditor or 纪检监察 asks for — the posting, the
applicants and their checks, exceptions (破格) with their files, the judges and 回避, every score
sheet with its corrections, the ranking, the inspections, the decision, the notice and its
objections, and the process log. reportlab with its built-in CID font (STSong-Light), as the
notice PDF: Chinese prints with no font installed on the server.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from jinjie.core.values import plain_decimal

from .eligibility import selection_criteria
from .models import APPLICATION_EVENTS, Stage
from .selectors import Dossier
from .workflow import EVENT_LABELS, state_label

FONT = "STSong-Light"


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _n(value) -> str:
    return "—" if value is None else str(plain_decimal(value))


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class _Doc:
    def __init__(self) -> None:
        _register_font()
        self.title = ParagraphStyle("t", fontName=FONT, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.h2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm)
        self.body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
        self.cell = ParagraphStyle("c", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")
        self.story: list = []

    def p(self, text: str, style=None) -> None:
        self.story.append(Paragraph(escape(text), style or self.body))

    def h(self, text: str) -> None:
        self.story.append(Paragraph(escape(text), self.h2))

    def table(self, headers, rows, widths=None) -> None:
        if not rows:
            self.p("（无）")
            return
        data = [[Paragraph(escape(str(h)), self.cell) for h in headers]]
        data += [[Paragraph(escape("" if v is None else str(v)), self.cell) for v in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ])
        )
        self.story.append(table)


def render_dossier_pdf(d: Dossier) -> bytes:
    sel, board = d.selection, d.board
    doc = _Doc()
    apps = {a.pk: a for a in d.applications}
    posts = {p.pk: p for p in board.posts}

    def who_applied(app_id):
        a = apps[app_id]
        return a.post.title, a.employee.employee_no, a.employee.name

    doc.story.append(Paragraph(escape(f"{sel.title}纪实"), doc.title))
    doc.p(f"竞聘编号 {sel.code}　组织单位 {sel.org_unit.path}　当前阶段 {sel.get_state_display()}　生成时间 {_when(timezone.now())}")

    doc.h("一、竞聘方案")
    doc.p(f"报名截止日期：{sel.deadline}；发布日期：{sel.published_on or '未发布'}；任前公示：{sel.notice_days} 个工作日。")
    if sel.description:
        doc.p(sel.description)
    doc.table(("职位", "职数", "岗位职责"), [(p.title, p.places, p.duties) for p in board.posts])
    s = board.scheme
    w = s.weights
    doc.p(
        f"计分办法：总成绩 = 笔试 × {w.written} + 演讲答辩 × {w.speech} + 民主测评 × {w.democratic}；笔试合格线 {_n(s.pass_line)}；"
        f"演讲答辩评委 {s.drop_extremes_from} 人及以上去掉一个最高分和一个最低分；民主测评按 优秀 {_n(s.ballot_points[0])}、"
        f"称职 {_n(s.ballot_points[1])}、基本称职 {_n(s.ballot_points[2])}、不称职 {_n(s.ballot_points[3])} 计分；"
        f"考察按 1:{s.inspect_ratio} 且总成绩不低于 {_n(s.inspect_min)}。"
    )
    doc.p("报名条件（报名截止日）：" + "；".join(node.describe() for node in selection_criteria(sel)))

    doc.h("二、报名与资格审查")
    exceptions = {x.application_id: x for x in d.exceptions}
    rows = []
    for a in d.applications:
        failed = "；".join(r["text"] for r in a.check_result if not r.get("passed"))
        x = exceptions.get(a.pk)
        rows.append((
            a.post.title, a.employee.employee_no, a.employee.name, a.get_via_display(), _when(a.applied_at),
            "已撤回 " + _when(a.withdrawn_at) if a.withdrawn_at else "",
            "" if a.eligible is None else ("符合" if a.eligible else f"不符合：{failed}"),
            f"破格（{x.criterion_label}）" if x else "", a.get_review_display(), a.review_reason,
        ))
    doc.table(("职位", "工号", "姓名", "方式", "报名时间", "撤回", "截止日核对", "破格", "资格审查", "意见"), rows)
    if d.exceptions:
        doc.p("破格记录：")
        doc.table(
            ("姓名", "放宽的条件", "理由", "附件", "办理人", "时间"),
            [(x.application.employee.name, x.criterion_label, x.reason, f"{x.attachment.name}（{x.attachment.size} 字节，"
              f"SHA-256 {x.attachment.sha256[:16]}…）", _who(x.granted_by), _when(x.granted_at)) for x in d.exceptions],
        )

    doc.p("报名与审查记录：")
    doc.table(
        ("时间", "姓名", "事项", "操作人", "说明"),
        [(_when(e.at), apps[app_id].employee.name, APPLICATION_EVENTS.get(e.event, e.event), _who(e.actor), e.note)
         for app_id, events in d.events.items() for e in events],
    )

    doc.h("三、评委与回避")
    doc.table(("评委", "指定人", "时间"), [(_who(j.user), _who(j.named_by), _when(j.named_at)) for j in d.judges])
    if d.recusals:
        doc.table(("评委", "回避对象", "原因", "登记人"),
                  [(_who(r.judge), r.application.employee.name, r.reason, _who(r.declared_by)) for r in d.recusals])

    doc.h("四、笔试")
    doc.table(
        ("职位", "工号", "姓名", "成绩", "更正理由", "录入人", "时间"),
        [(*who_applied(e.application_id), _n(e.score), e.reason if e.correction else "", _who(e.entered_by), _when(e.entered_at))
         for e in board.entries if e.stage == Stage.WRITTEN],
    )
    doc.h("五、演讲答辩")
    if d.sheets_visible:
        doc.table(
            ("职位", "工号", "姓名", "评委", "评分", "更正理由", "时间"),
            [(*who_applied(e.application_id), _who(e.judge) if e.judge_id else "最终成绩（直接录入）", _n(e.score),
              e.reason if e.correction else "", _when(e.entered_at)) for e in board.entries if e.stage == Stage.SPEECH],
        )
    else:
        doc.p("演讲答辩尚未确认：各评委的评分表在确认前不予显示。")
    doc.h("六、民主测评")
    doc.table(
        ("职位", "工号", "姓名", "优秀", "称职", "基本称职", "不称职", "更正理由", "时间"),
        [(*who_applied(b.application_id), b.excellent, b.competent, b.basic, b.incompetent, b.reason if b.correction else "",
          _when(b.entered_at)) for b in board.ballot_entries],
    )
    doc.h("七、综合排名")
    doc.table(
        ("职位", "工号", "姓名", "笔试", "演讲答辩", "民主测评", "总成绩", "名次", "考察", "说明"),
        [(posts[s.post].title, apps[s.key].employee.employee_no, apps[s.key].employee.name, _n(s.written), _n(s.speech),
          _n(s.democratic), _n(s.total), s.position or "", "是" if s.inspect else "", s.note) for s in board.standings],
    )
    doc.h("八、考察")
    doc.table(
        ("姓名", "考察组", "日期", "结论", "考察情况", "更正理由"),
        [(apps[i.application_id].employee.name, i.inspectors, i.date, i.conclusion, i.findings, i.reason if i.correction else "")
         for i in board.inspection_entries],
    )
    doc.h("九、任用决定")
    if d.decision is None:
        doc.p("尚未决定。")
    else:
        doc.p(f"{_who(d.decision.decided_by)} 于 {_when(d.decision.decided_at)} 决定。" + (f"说明：{d.decision.reason}" if d.decision.reason else ""))
        doc.table(
            ("职位", "姓名", "名次", "推荐方式", "任职建议状态"),
            [(a.post.title, a.application.employee.name, a.position, "按名次推荐" if a.proposed else "未按名次",
              a.proposal.get_state_display()) for a in d.appointees],
        )
    doc.h("十、任前公示与异议")
    notice = sel.notice
    if notice is None:
        doc.p("尚未公示。")
    else:
        doc.p(f"{notice.title}：{notice.start_date} 至 {notice.end_date}（{notice.days} 个工作日）。")
        doc.p("异议：" + "，".join(f"{k} {v}" for k, v in d.objection_counts.items()))
        doc.table(
            ("提出时间", "提出人", "内容", "处理结果", "处理意见"),
            [(_when(o.filed_at), o.filer_display, o.text, o.status_label, o.resolution_reason) for o in d.objections],
        )
    doc.h("十一、进程记录")
    doc.table(
        ("时间", "事件", "进入阶段", "操作人", "说明"),
        [(_when(t.at), EVENT_LABELS.get(t.event, t.event), state_label(t.to_state), _who(t.actor), t.note) for t in d.transitions],
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=14 * mm, bottomMargin=12 * mm,
        title=f"{sel.code} 竞聘纪实", author=sel.org_unit.name, subject="竞聘纪实", invariant=True,
    ).build(doc.story)
    return buffer.getvalue()
