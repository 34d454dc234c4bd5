"""A parsed rule book laid out as the tables people read (the entry table, keep lines, floors,
routes, pay; the monopoly conditions), and the words for its parts. Presentation only: every
number comes from the parsed book, nothing here knows a threshold."""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from jinjie.rules.book import ROUTE_KINDS, LadderBook, MonopolyBook
from jinjie.rules.ladder import LEVELS, MOVE_LABELS, RANKS, ROUTE_STEP_LABELS

NOTICE_COUNTING = {"calendar": gettext_noop("自然日"), "working": gettext_noop("工作日")}
ROUTE_KIND_LABELS = {kind: MOVE_LABELS.get(kind, gettext_noop("即时降档/降级")) for kind in ROUTE_KINDS}
# Words for the keys of a book shown value by value (a section the tables do not lay out, or a
# document compared as it is); a key not named here is shown as written. Marked for the catalogue
# here, translated where they are shown.
SECTION_LABELS = {
    "kind": gettext_noop("类别"),
    "name": gettext_noop("标准名称"),
    "version": gettext_noop("文件版本号"),
    "description": gettext_noop("说明"),
    "ranks": gettext_noop("任职条件"),
    "criteria": gettext_noop("条件"),
    "keep": gettext_noop("保级线"),
    "level_floors": gettext_noop("降级线"),
    "fail_line": gettext_noop("不合格线"),
    "outstanding": gettext_noop("表现优异"),
    "skip": gettext_noop("跳档跳级"),
    "levels": gettext_noop("级别"),
    "grades": gettext_noop("档次"),
    "routes": gettext_noop("审批路径"),
    "route": gettext_noop("审批路径"),
    "notice": gettext_noop("公示期"),
    "days": gettext_noop("天数"),
    "counting": gettext_noop("计算方式"),
    "pay": gettext_noop("职级薪酬"),
    "base": gettext_noop("岗位工资基数"),
    "coefficients": gettext_noop("系数"),
    "manual": gettext_noop("人工评议"),
    "favour": gettext_noop("评先、外派学习、推荐干部名单"),
    "bonus": gettext_noop("职级加分"),
}


def route_label(key: str) -> str:
    """``"level_up:中级"`` → ``"晋级（至中级）"``."""
    move, _, level = key.partition(":")
    label = gettext(ROUTE_KIND_LABELS.get(move, move))
    return gettext("%(move)s（至%(level)s）") % {"move": label, "level": level} if level else label


def notice_text(book: LadderBook) -> str:
    """``5 个工作日``: the notice period's length and how its days are counted."""
    counting = gettext(NOTICE_COUNTING.get(book.notice_counting, book.notice_counting))
    return gettext("%(n)s 个%(counting)s") % {"n": book.notice_days, "counting": counting}


def route_text(steps) -> str:
    return " › ".join(gettext(ROUTE_STEP_LABELS.get(s, s)) for s in steps) or gettext("自动晋档(无需审批)")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, list[str]]]


def _cell(node) -> str:
    # A plain criterion shows its comparison ("≥ 86"); a group shows its whole sentence.
    return node.required


def _plain_label(node) -> str:
    # "平均绩效（初级C保级线）" → "平均绩效": the row already names the rank or level.
    return gettext(node.label.split("（", 1)[0] if node.text_prefix else node.label)


def _lines_table(items) -> Table:
    columns: list[str] = []
    rows = []
    for name, nodes in items:
        cells = {}
        for node in nodes:
            label = _plain_label(node)
            if label not in columns:
                columns.append(label)
            cells[label] = node.required
        rows.append((name, cells))
    return Table(columns, [(name, [cells.get(c, "–") for c in columns]) for name, cells in rows])


def route_order(key: str) -> tuple[int, int]:
    """Routes in the order of the moves, the general one before those of a level."""
    move, _, level = key.partition(":")
    kinds = list(ROUTE_KINDS)
    return (kinds.index(move) if move in kinds else len(kinds), LEVELS.index(level) if level in LEVELS else -1)


def ladder_tables(book: LadderBook) -> dict:
    # Columns in the order the ranks list their criteria: one a lower rank lacks (职业技能等级 from
    # 初级A on) goes right after the criterion it follows in the first rank that has it.
    codes: list[str] = []
    labels: dict[str, str] = {}
    for rule in book.ranks:
        if rule is None:
            continue
        previous = None
        for node in rule.criteria:
            if node.code not in labels:
                codes.insert(codes.index(previous) + 1 if previous is not None else len(codes), node.code)
                labels[node.code] = gettext(node.label)
            previous = node.code
    entry_rows = []
    for rule in book.ranks:
        if rule is None:
            continue
        by_code = {node.code: _cell(node) for node in rule.criteria}
        entry_rows.append((rule.name, [by_code.get(code, "–") for code in codes]))
    keep = _lines_table([(rule.name, rule.keep) for rule in book.ranks if rule is not None])
    floors = _lines_table(list(book.level_floors.items()))
    routes = [(route_label(key), route_text(book.routes[key])) for key in sorted(book.routes, key=route_order)]
    pay = [(rank, book.pay_coefficients[rank], book.pay_base * book.pay_coefficients[rank]) for rank in RANKS]
    skip = "、".join(f"{lv}{g}" for lv in LEVELS if lv in book.skip_levels for g in ("C", "B") if g in book.skip_grades)
    return {
        "entry": Table([labels[c] for c in codes], entry_rows),
        "keep": keep,
        "floors": floors,
        "fail_line": book.fail_line,
        "outstanding": book.outstanding.required,
        "skip_from": skip,
        "routes": routes,
        "notice": notice_text(book),
        "pay_base": book.pay_base,
        "pay": pay,
    }


def monopoly_tables(book: MonopolyBook) -> dict:
    levels = []
    for name, rule in book.levels.items():
        levels.append({
            "name": name, "criteria": [(gettext(n.label), n.required) for n in rule.criteria], "manual": list(rule.manual),
        })
    return {"levels": levels, "route": route_text(book.route)}
