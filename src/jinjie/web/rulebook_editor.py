"""The rule-book editor (评定标准的表格编辑): the pieces of rulebook_forms put together for a whole
ladder or monopoly book, the document they give back, and the parse's messages put back next to
the fields they concern.

A section the editor lays out is read from the book only when its shape is one the forms give
back unchanged. Any other top-level section — one a newer version of the book added (the favour
lists' bonus), or one written by hand in a shape the tables do not hold — is edited value by value
(SectionsForm), so nothing is lost and nothing is rewritten behind HR's back. The parse of
``jinjie.rules.book`` stays the one validation: ``check()`` runs it on the document the forms
give back and places each of its messages by path (``ranks.中级C.criteria[3]`` → the 中级C row's
平均绩效 input); a message no field produced is shown at the top.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext

from jinjie.rules.book import RuleBookError, parse_ladder_book, parse_monopoly_book
from jinjie.rules.ladder import LEVELS, MONOPOLY_LEVELS, RANKS

from .forms import RulebookDraftForm
from .rulebook_forms import (
    MONOPOLY_FACTS,
    NO,
    YES,
    CriteriaFormSet,
    CriterionRowForm,
    EntryRowForm,
    FailLineForm,
    HeaderForm,
    LineRowForm,
    ManualForm,
    NoticeForm,
    OutstandingForm,
    Paths,
    PayForm,
    RouteFormSet,
    SectionsForm,
    SkipForm,
    StepsForm,
    caption,
    mark_invalid,
    number_text,
    route_key_recognised,
    steps_recognised,
)
from .rulebook_tables import route_order

__all__ = ["DraftMetaForm", "LadderEditor", "MonopolyEditor", "editor_for", "error_lines"]


class DraftMetaForm(RulebookDraftForm):
    """Unit, effective date and note of a draft edited as forms (the book itself comes from the editor)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["document"]


def error_lines(e: RuleBookError) -> list[str]:
    # A RuleBookError built from one message string holds its characters one by one.
    if e.errors and all(len(x) <= 1 for x in e.errors):
        return ["".join(e.errors)]
    return list(e.errors) or [str(e)]


_JSON_HINTS = (
    (re.compile(r'（应写成字符串，例如 "[^"]*"）'), ""),
    (re.compile(r"，例如 \[.*\]$"), ""),
    (re.compile(r"（JSON 对象）"), ""),
)


def friendly(message: str) -> str:
    """A parse message without its advice on JSON syntax, which an input does not need."""
    for pattern, replacement in _JSON_HINTS:
        message = pattern.sub(replacement, message)
    return message


_LAST_SEGMENT = re.compile(r"(\[\d+\]|\.[^.\[]+)$")


@dataclass
class Target:
    """Where the messages about one path of the document go."""

    add: Callable[[str], None]
    prefix: str = ""
    whole_line: bool = False  # a JSON box: the message keeps its path


def field_target(form: forms.Form, field: str | None, prefix: str = "", whole_line: bool = False) -> Target:
    def add(message: str) -> None:
        form.add_error(field, message)
        if field is not None:
            mark_invalid(form, field)

    return Target(add, prefix, whole_line)


class Editor:
    """Common ground of the two editors: bound to a post, or started from a document."""

    kind: str
    parse: Callable[[dict], Any]
    modelled: tuple[str, ...]

    def __init__(self, data=None, *, document: dict | None = None) -> None:
        if (data is None) == (document is None):
            raise TypeError("an editor starts from a post or from a document")
        self.bound = data is not None
        self.data = data
        self.top_errors: list[str] = []
        self.section_errors: dict[str, list[str]] = defaultdict(list)
        self.targets: dict[str, Target] = {}
        if self.bound:
            self.sections = SectionsForm(data)
            self.generic = set(self.sections.sections)
            self._setup({})
        else:
            initial, generic = self._split(dict(document))
            self.sections = SectionsForm(sections=generic)
            self.generic = set(generic)
            self._setup(initial)

    # building the forms

    def _split(self, doc: dict) -> tuple[dict[str, Any], dict[str, Any]]:
        """(initial values of the laid-out sections, the sections edited value by value)."""
        initial: dict[str, Any] = {}
        generic = {key: value for key, value in doc.items() if key not in self.modelled}
        if "kind" in doc and doc["kind"] != self.kind:
            generic["kind"] = doc["kind"]
        header = {}
        for key in HeaderForm.KEYS:
            if key in doc:
                if HeaderForm.recognised(key, doc[key]):
                    header[key] = str(doc[key])
                else:
                    generic[key] = doc[key]
        initial["header"] = header
        for section, read in self._readers().items():
            if section not in doc:
                continue
            found = read(doc[section])
            if found is None:
                generic[section] = doc[section]
            else:
                initial[section] = found
        return initial, generic

    def _readers(self) -> dict[str, Callable[[Any], Any]]:
        raise NotImplementedError

    def _setup(self, initial: dict[str, Any]) -> None:
        raise NotImplementedError

    def _form(self, cls, prefix: str, initial: dict | None = None, **kwargs):
        if self.bound:
            return cls(self.data, prefix=prefix, **kwargs)
        return cls(initial=initial or {}, prefix=prefix, **kwargs)

    def _formset(self, cls, prefix: str, initial: list[dict]):
        if self.bound:
            return cls(self.data, prefix=prefix)
        return cls(initial=initial, prefix=prefix)

    def laid_out(self, section: str) -> bool:
        return section not in self.generic

    @property
    def shown(self) -> dict[str, bool]:
        """Section → laid out as forms (for the template)."""
        return {section: section not in self.generic for section in self.modelled}

    # validating

    def all_forms(self) -> Iterator[Any]:
        raise NotImplementedError

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all_forms()]  # every form, so every message shows
        return all(results)

    def document(self) -> dict:
        """The rule book the (valid) forms give back; also records where each path came from."""
        self.targets = {}
        doc: dict[str, Any] = {"kind": self.kind}
        for key in HeaderForm.KEYS:
            if key in self.generic:
                continue
            value = (self.header.cleaned_data.get(key) or "").strip()
            if value:
                doc[key] = value
                self.targets[key] = field_target(self.header, key)
        self._build(doc)
        values, paths = self.sections.build()
        doc.update(values)
        for key in values:
            self.targets[key] = Target(self.section_errors["sections"].append, whole_line=True)
        for path, field in paths.items():
            self.targets[path] = field_target(self.sections, field, whole_line=True)
        return doc

    def _build(self, doc: dict) -> None:
        raise NotImplementedError

    def check(self) -> dict | None:
        """The document when every form is valid and it parses as a rule book; else None, with
        every message placed next to its field (or at the top)."""
        if not self.is_valid():
            return None
        doc = self.document()
        try:
            self.parse(doc)
        except RuleBookError as e:
            self.add_errors(error_lines(e))
            return None
        return doc

    def add_errors(self, lines: list[str]) -> None:
        for line in lines:
            path, sep, message = line.partition(": ")
            found = self._find(path) if sep else None
            if found is None:
                self.top_errors.append(line)
                continue
            target, rest = found
            if target.whole_line:
                target.add(line)
            else:
                where = f"（{rest.lstrip('.')}）" if rest else ""
                target.add(f"{target.prefix.rstrip('：')}{where}{'：' if target.prefix or where else ''}{friendly(message)}")

    def _find(self, path: str) -> tuple[Target, str] | None:
        rest = ""
        while path:
            if path in self.targets:
                return self.targets[path], rest
            match = _LAST_SEGMENT.search(path)
            if match is None:
                return None
            rest = match.group(0) + rest
            path = path[: match.start()]
        return None

    def _items(self, base: str, form: forms.Form, items_paths: list[Paths]) -> None:
        """Targets of the items a row form wrote at ``base[i]``."""
        for i, paths in enumerate(items_paths):
            for rel, field in paths.items():
                if field is not None and field.startswith("extras#"):
                    n = int(field.split("#", 1)[1]) + 1
                    self.targets[f"{base}[{i}]{rel}"] = field_target(form, "extras", prefix=gettext("第 %(n)s 条其他条件：") % {"n": n})
                else:
                    self.targets[f"{base}[{i}]{rel}"] = field_target(form, field)


def _lists_of(doc: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(doc, dict) and set(doc) == set(keys) and all(isinstance(doc[k], list) for k in keys)


class LadderEditor(Editor):
    kind = "ladder"
    parse = staticmethod(parse_ladder_book)
    template = "web/_rulebook_form_ladder.html"
    modelled = (
        "kind", "name", "version", "description", "ranks", "level_floors", "fail_line", "outstanding", "skip",
        "routes", "notice", "pay",
    )
    FLOOR_LEVELS = LEVELS[1:]

    def _readers(self):
        return {
            "ranks": self._read_ranks,
            "level_floors": self._read_floors,
            "fail_line": lambda v: None if number_text(v) is None else {"fail_line": number_text(v)},
            "outstanding": OutstandingForm.recognise,
            "skip": SkipForm.recognise,
            "routes": self._read_routes,
            "notice": NoticeForm.recognise,
            "pay": self._read_pay,
        }

    @staticmethod
    def _read_ranks(doc: Any):
        if not (isinstance(doc, dict) and set(doc) == set(RANKS[1:])):
            return None
        if not all(_lists_of(doc[rank], ("criteria", "keep")) for rank in RANKS[1:]):
            return None
        return {
            rank: (EntryRowForm.initial_for(doc[rank]["criteria"]), LineRowForm.initial_for(doc[rank]["keep"]))
            for rank in RANKS[1:]
        }

    def _read_floors(self, doc: Any):
        if not _lists_of(doc, self.FLOOR_LEVELS):
            return None
        return {level: LineRowForm.initial_for(doc[level]) for level in self.FLOOR_LEVELS}

    @staticmethod
    def _read_routes(doc: Any):
        if not isinstance(doc, dict):
            return None
        rows = []
        for key, steps in doc.items():
            parts = route_key_recognised(key)
            if parts is None or not steps_recognised(steps):
                return None
            rows.append((key, {"move": parts[0], "level": parts[1], **StepsForm.initial_steps(steps)}))
        rows.sort(key=lambda r: route_order(r[0]))
        return [row for _, row in rows]

    @staticmethod
    def _read_pay(doc: Any):
        if not (isinstance(doc, dict) and set(doc) == {"base", "coefficients"}):
            return None
        coefficients = doc["coefficients"]
        if not (isinstance(coefficients, dict) and set(coefficients) == set(RANKS)):
            return None
        initial = {"base": number_text(doc["base"])}
        initial.update({f"c{i}": number_text(coefficients[rank]) for i, rank in enumerate(RANKS)})
        return None if any(v is None for v in initial.values()) else initial

    def _setup(self, initial: dict[str, Any]) -> None:
        self.header = self._form(HeaderForm, "h", initial.get("header"))
        ranks = initial.get("ranks", {})
        self.entry = {}
        self.keep = {}
        for step, rank in enumerate(RANKS[1:], start=1):
            entry, keep = ranks.get(rank, (None, None))
            self.entry[rank] = caption(self._form(EntryRowForm, f"e{step}", entry), gettext("%(rank)s 任职条件") % {"rank": rank})
            self.keep[rank] = caption(self._form(LineRowForm, f"k{step}", keep), gettext("%(rank)s 保级线") % {"rank": rank})
        floors = initial.get("level_floors", {})
        self.floors = {
            level: caption(self._form(LineRowForm, f"f{i}", floors.get(level)), gettext("%(level)s 降级线") % {"level": level})
            for i, level in enumerate(self.FLOOR_LEVELS, 1)
        }
        self.fail_line = self._form(FailLineForm, "fl", initial.get("fail_line"))
        self.outstanding = caption(
            self._form(OutstandingForm, "o", initial.get("outstanding", {"kind": "any"})), gettext("表现优异")
        )
        self.skip = self._form(SkipForm, "sk", initial.get("skip"))
        self.notice = self._form(NoticeForm, "n", initial.get("notice"))
        self.routes = self._formset(RouteFormSet, "rt", initial.get("routes", []))
        for i, form in enumerate(self.routes.forms, start=1):
            caption(form, gettext("第 %(n)s 行") % {"n": i})
        self.pay = caption(self._form(PayForm, "p", initial.get("pay"), ranks=RANKS), gettext("薪酬"))

    # for the template

    def entry_headers(self) -> list[str]:
        return EntryRowForm().headers()

    def line_headers(self) -> list[str]:
        return LineRowForm().headers()

    def extras_open(self) -> dict[str, bool]:
        """Whether each table's box of other conditions starts open (something in it, or a message)."""

        def used(forms_) -> bool:
            return any(f["extras"].value() or f["extras"].errors for f in forms_)

        return {
            "entry": used(self.entry.values()),
            "keep": used(self.keep.values()),
            "floors": used(self.floors.values()),
            "outstanding": used([self.outstanding]),
        }

    def entry_extras(self) -> list[tuple[str, forms.Form]]:
        return list(self.entry.items())

    def keep_extras(self) -> list[tuple[str, forms.Form]]:
        return list(self.keep.items())

    def outstanding_extras(self) -> list[tuple[str, forms.Form]]:
        return [(gettext("表现优异"), self.outstanding)]

    def rank_rows(self) -> list[tuple[str, forms.Form, forms.Form]]:
        return [(rank, self.entry[rank], self.keep[rank]) for rank in RANKS[1:]]

    def floor_rows(self) -> list[tuple[str, forms.Form]]:
        return list(self.floors.items())

    def all_forms(self):
        yield self.header
        yield self.sections
        if self.laid_out("ranks"):
            yield from self.entry.values()
            yield from self.keep.values()
        if self.laid_out("level_floors"):
            yield from self.floors.values()
        for section, form in (
            ("fail_line", self.fail_line), ("outstanding", self.outstanding), ("skip", self.skip),
            ("notice", self.notice), ("routes", self.routes), ("pay", self.pay),
        ):
            if self.laid_out(section):
                yield form

    def _build(self, doc: dict) -> None:
        t = self.targets
        if self.laid_out("ranks"):
            ranks = {}
            for rank in RANKS[1:]:
                entry, keep = self.entry[rank], self.keep[rank]
                criteria, criteria_paths = entry.build()
                keep_items, keep_paths = keep.build()
                ranks[rank] = {"criteria": criteria, "keep": keep_items}
                t[f"ranks.{rank}"] = field_target(entry, None)
                t[f"ranks.{rank}.criteria"] = field_target(entry, None)
                t[f"ranks.{rank}.keep"] = field_target(keep, None)
                self._items(f"ranks.{rank}.criteria", entry, criteria_paths)
                self._items(f"ranks.{rank}.keep", keep, keep_paths)
            doc["ranks"] = ranks
        if self.laid_out("level_floors"):
            floors = {}
            for level, form in self.floors.items():
                floors[level], paths = form.build()
                t[f"level_floors.{level}"] = field_target(form, None)
                self._items(f"level_floors.{level}", form, paths)
            doc["level_floors"] = floors
        if self.laid_out("fail_line"):
            doc["fail_line"] = self.fail_line.cleaned_data["fail_line"]
            t["fail_line"] = field_target(self.fail_line, "fail_line")
        if self.laid_out("outstanding"):
            node, paths, kind = self.outstanding.build_node()
            doc["outstanding"] = node
            t["outstanding"] = field_target(self.outstanding, None)
            self._items(f"outstanding.{kind}", self.outstanding, paths)
        if self.laid_out("skip"):
            doc["skip"] = self.skip.build()
            t["skip"] = field_target(self.skip, None)
            t["skip.levels"] = field_target(self.skip, "levels")
            t["skip.grades"] = field_target(self.skip, "grades")
        if self.laid_out("routes"):
            routes = {}
            for form in self.routes.forms:
                key = form.key() if form.cleaned_data else None
                if key is None or form.cleaned_data.get("DELETE"):
                    continue
                routes[key] = form.steps()
                t[f"routes.{key}"] = field_target(form, None)
            doc["routes"] = routes
            t["routes"] = Target(self.section_errors["routes"].append)
        if self.laid_out("notice"):
            doc["notice"] = {"days": self.notice.cleaned_data["days"], "counting": self.notice.cleaned_data["counting"]}
            t["notice"] = field_target(self.notice, None)
            t["notice.days"] = field_target(self.notice, "days")
            t["notice.counting"] = field_target(self.notice, "counting")
        if self.laid_out("pay"):
            data = self.pay.cleaned_data
            doc["pay"] = {"base": data["base"], "coefficients": {rank: data[f"c{i}"] for i, rank in enumerate(RANKS)}}
            t["pay"] = field_target(self.pay, None)
            t["pay.coefficients"] = field_target(self.pay, None)
            t["pay.base"] = field_target(self.pay, "base")
            for i, rank in enumerate(RANKS):
                t[f"pay.coefficients.{rank}"] = field_target(self.pay, f"c{i}")


class MonopolyEditor(Editor):
    kind = "monopoly"
    parse = staticmethod(parse_monopoly_book)
    template = "web/_rulebook_form_monopoly.html"
    modelled = ("kind", "name", "version", "description", "levels", "route")

    def _readers(self):
        return {
            "levels": self._read_levels,
            "route": lambda v: StepsForm.initial_steps(v) if steps_recognised(v) else None,
        }

    @staticmethod
    def _read_levels(doc: Any):
        if not (isinstance(doc, dict) and set(doc) == set(MONOPOLY_LEVELS)):
            return None
        out = {}
        for level in MONOPOLY_LEVELS:
            entry = doc[level]
            if not (isinstance(entry, dict) and set(entry) in ({"criteria"}, {"criteria", "manual"})):
                return None
            if not isinstance(entry["criteria"], list):
                return None
            manual = ManualForm.recognise(entry.get("manual", []))
            if manual is None:
                return None
            out[level] = ([CriterionRowForm.initial_for(item) for item in entry["criteria"]], {"manual": manual})
        return out

    def _setup(self, initial: dict[str, Any]) -> None:
        self.header = self._form(HeaderForm, "h", initial.get("header"))
        self.route = self._form(StepsForm, "r", initial.get("route"))
        levels = initial.get("levels", {})
        self.criteria = {}
        self.manual = {}
        for i, level in enumerate(MONOPOLY_LEVELS, start=1):
            rows, manual = levels.get(level, ([], {}))
            self.criteria[level] = self._formset(CriteriaFormSet, f"m{i}", rows)
            for n, form in enumerate(self.criteria[level].forms, start=1):
                caption(form, gettext("%(level)s 第 %(n)s 条") % {"level": level, "n": n})
            self.manual[level] = caption(self._form(ManualForm, f"mm{i}", manual), level)

    @property
    def value_choices(self) -> list[str]:
        """Suggestions for the value inputs: the names of every scale, and 是/否."""
        names: list[str] = []
        for fact in MONOPOLY_FACTS:
            names.extend(v for v in fact.scale if v not in names)
        return [*names, YES, NO]

    def level_rows(self) -> list[tuple[str, Any, forms.Form, list[str]]]:
        return [
            (level, self.criteria[level], self.manual[level], self.section_errors[f"levels.{level}"])
            for level in MONOPOLY_LEVELS
        ]

    def all_forms(self):
        yield self.header
        yield self.sections
        if self.laid_out("route"):
            yield self.route
        if self.laid_out("levels"):
            yield from self.criteria.values()
            yield from self.manual.values()

    def _build(self, doc: dict) -> None:
        t = self.targets
        if self.laid_out("levels"):
            levels = {}
            for level in MONOPOLY_LEVELS:
                items = []
                for form in self.criteria[level].forms:
                    if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                        continue
                    item, paths = form.build()
                    if item is None:
                        continue
                    for rel, field in paths.items():
                        t[f"levels.{level}.criteria[{len(items)}]{rel}"] = field_target(form, field)
                    items.append(item)
                entry: dict[str, Any] = {"criteria": items}
                manual = self.manual[level].items()
                if manual:
                    entry["manual"] = manual
                levels[level] = entry
                t[f"levels.{level}"] = Target(self.section_errors[f"levels.{level}"].append)
                t[f"levels.{level}.manual"] = field_target(self.manual[level], "manual")
            doc["levels"] = levels
        if self.laid_out("route"):
            doc["route"] = self.route.steps()
            t["route"] = field_target(self.route, None)


def editor_for(kind: str) -> type[Editor]:
    return LadderEditor if kind == LadderEditor.kind else MonopolyEditor
