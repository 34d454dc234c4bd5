"""A parsed rule book laid out as the tables people read (SPEC 2.2 table, keep lines, floors,
routes, pay; the monopoly conditions). Presentation only: every number comes from the parsed book,
nothing here knows a threshold."""

from dataclasses import dataclass

from jinjie.rules.book import LadderBook, MonopolyBook
from jinjie.rules.ladder import LEVELS, MOVE_LABELS, RANKS, ROUTE_STEP_LABELS

NOTICE_COUNTING = {"calendar": "自然日", "working": "工作日"}


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, list[str]]]


def _cell(node) -> str:
    # A plain criterion shows its comparison ("≥ 86"); a group shows its whole sentence.
    return node.required


def _plain_label(node) -> str:
    # "平均绩效（初级C保级线）" → "平均绩效": the row already names the rank or level.
    return node.label.split("（", 1)[0] if node.text_prefix else node.label


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


def ladder_tables(book: LadderBook) -> dict:
    codes: list[str] = []
    labels: dict[str, str] = {}
    for rule in book.ranks:
        if rule is None:
            continue
        for node in rule.criteria:
            if node.code not in labels:
                codes.append(node.code)
                labels[node.code] = node.label
    entry_rows = []
    for rule in book.ranks:
        if rule is None:
            continue
        by_code = {node.code: _cell(node) for node in rule.criteria}
        entry_rows.append((rule.name, [by_code.get(code, "–") for code in codes]))
    keep = _lines_table([(rule.name, rule.keep) for rule in book.ranks if rule is not None])
    floors = _lines_table(list(book.level_floors.items()))
    routes = []
    for key, steps in book.routes.items():
        move, _, level = key.partition(":")
        name = MOVE_LABELS.get(move, "即时降档/降级" if move == "immediate_demotion" else move)
        routes.append((f"{name}{'（至' + level + '）' if level else ''}", " › ".join(ROUTE_STEP_LABELS.get(s, s) for s in steps) or "自动晋档(无需审批)"))
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
        "notice": f"{book.notice_days} 个{NOTICE_COUNTING.get(book.notice_counting, book.notice_counting)}",
        "pay_base": book.pay_base,
        "pay": pay,
    }


def monopoly_tables(book: MonopolyBook) -> dict:
    levels = []
    for name, rule in book.levels.items():
        levels.append({"name": name, "criteria": [(n.label, n.required) for n in rule.criteria], "manual": list(rule.manual)})
    return {"levels": levels, "route": " › ".join(ROUTE_STEP_LABELS.get(s, s) for s in book.route)}
