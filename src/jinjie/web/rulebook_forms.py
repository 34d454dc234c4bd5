"""Pieces of the rule-book editor (评定标准的表格编辑): number inputs, step pickers, table rows of
standard criteria, a criterion-per-row list, and a leaf-by-leaf editor for sections nobody laid out.

Each piece reads its part of the rule book's JSON (``initial_for``) and gives back that JSON
(``build``): unchanged inputs give back exactly what they were given, so HR's edits are the only
changes. A piece recognises only the shapes it can give back; anything else stays JSON, in a box
of its own, and is never dropped. ``build`` also tells, for every element it wrote, which field
wrote it (relative path → field), so that the parse of ``jinjie.rules.book`` — the one validation
— can put each of its messages next to the field it concerns (``rulebook_editor``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from jinjie.core.text import to_halfwidth
from jinjie.rules.book import MAX_ROUTE_STEPS, NOTICE_COUNTINGS, ROUTE_KINDS, RuleBookError, parse_criterion
from jinjie.rules.criteria import BOOLEAN, FACTS, INTEGER, LADDER, MONOPOLY, OPS, ORDINAL
from jinjie.rules.ladder import GRADES, LEVELS, MONOPOLY_LEVELS, ROUTE_STEP_LABELS, ROUTE_STEPS

from .rulebook_tables import ROUTE_KIND_LABELS, SECTION_LABELS

# --- widgets -----------------------------------------------------------------------------------
# An editor page holds some 300 inputs and 1,000 options. Django renders each widget through a
# template of its own, which costs a third of a second for the page; these few widgets write the
# same HTML in Python.


def attributes(attrs: dict) -> str:
    """`` name="value"`` pairs (escaped); True is the bare name, False and None leave it out."""
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {key}")
        elif value is not False and value is not None:
            out.append(f' {key}="{escape(value)}"')
    return "".join(out)


class TextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = {"type": self.input_type, "name": name, **self.build_attrs(self.attrs, attrs)}
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return mark_safe(f"<input{attributes(final)}>")


class HiddenInput(forms.HiddenInput):
    render = TextInput.render


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        shown = self.format_value(value)
        return mark_safe(f"<textarea{attributes(final)}>\n{escape(shown or '')}</textarea>")


_OPTIONS: dict[tuple, list[tuple[str, str, str]]] = {}


def _options(choices) -> list[tuple[str, str, str]]:
    """(value, escaped HTML before ``selected``, after it) per choice, made once per list of choices."""
    key = tuple((str(v), str(label)) for v, label in choices)
    if key not in _OPTIONS:
        _OPTIONS[key] = [(v, f'<option value="{escape(v)}"', f">{escape(label)}</option>") for v, label in key]
    return _OPTIONS[key]


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(self.format_value(value))
        options = "".join(f"{head}{' selected' if v in chosen else ''}{tail}" for v, head, tail in _options(self.choices))
        return mark_safe(f"<select{attributes(final)}>{options}</select>")


class CheckboxInput(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = {"type": "checkbox", "name": name, **self.build_attrs(self.attrs, attrs)}
        if self.check_test(value):
            final["checked"] = True
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return mark_safe(f"<input{attributes(final)}>")


SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
JSON_BOX = {"class": "form-control form-control-sm font-monospace", "rows": "3", "spellcheck": "false"}
JSON_MAX = 20_000  # characters of one JSON box; a whole book goes to the JSON editor
TEXT_MAX = 1_000
MAX_LEAVES = 60  # a section with more values than this is edited as one JSON box

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_INTEGER = re.compile(r"-?\d+")

Paths = dict[str, str | None]  # path relative to the element → field name (None: the form itself)


# --- fields ------------------------------------------------------------------------------------


class NumberField(forms.CharField):
    """A threshold as the book stores it: the typed digits as a string (never a float)."""

    def __init__(self, *, integer: bool = False, **kwargs):
        self.integer = integer
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", TextInput(attrs={**SMALL, "inputmode": "decimal"}))
        kwargs.setdefault("error_messages", {"required": gettext_lazy("请填写")})
        super().__init__(**kwargs)

    def to_python(self, value):
        text = to_halfwidth(super().to_python(value)).strip()
        if text and len(text) <= 20 and not (_INTEGER if self.integer else _NUMBER).fullmatch(text):
            raise ValidationError(gettext("请填写整数") if self.integer else gettext("请填写数字，例如 84"))
        return text


def number_text(value: Any, *, integer: bool = False) -> str | None:
    """The input text of a stored number, or None when the input could not give it back."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (_INTEGER if integer else _NUMBER).fullmatch(value):
        return value
    return None


class _NotFinite(ValueError):
    pass


def _refuse(name: str):
    raise _NotFinite(name)


def load_json(text: str) -> Any:
    """JSON typed by a person, with the JSON editor's Chinese messages."""
    try:
        return json.loads(text, parse_constant=_refuse)
    except json.JSONDecodeError as e:
        raise ValidationError(gettext("JSON 格式错误：第 %(line)s 行第 %(col)s 列附近（%(msg)s）") % {"line": e.lineno, "col": e.colno, "msg": e.msg}) from None
    except _NotFinite as e:
        raise ValidationError(gettext("JSON 格式错误：数值 %(value)s 不是有限数") % {"value": e}) from None
    except RecursionError:
        raise ValidationError(gettext("JSON 格式错误：嵌套层数过多")) from None
    except ValueError:
        raise ValidationError(gettext("JSON 格式错误：数值位数过多")) from None


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class JsonField(forms.CharField):
    """A JSON box: empty → ``empty``; else the value, which must be of type ``expect``."""

    def __init__(self, *, expect: type | None = None, empty: Any = None, **kwargs):
        self.expect, self.empty = expect, empty
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", JSON_MAX)
        kwargs.setdefault("widget", Textarea(attrs=dict(JSON_BOX)))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return self.empty
        data = load_json(text)
        if self.expect is list and not isinstance(data, list):
            raise ValidationError(gettext("应为 JSON 列表 [ … ]"))
        if self.expect is dict and not isinstance(data, dict):
            raise ValidationError(gettext("应为 JSON 对象 { … }"))
        return data


def caption(form: forms.Form, text: str) -> forms.Form:
    """Name every input of a table row for screen readers: "中级C 任职条件 平均绩效 ≥"."""
    for field in form.fields.values():
        if not isinstance(field.widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
            field.widget.attrs["aria-label"] = f"{text} {field.label or ''}".strip()
    return form


def describe(text: Any, book: str) -> list[str]:
    """The conditions of a JSON box as sentences (one per item of a list), for reading beside it."""
    if not text or not str(text).strip():
        return []
    try:
        value = load_json(str(text))
    except ValidationError:
        return [gettext("（JSON 格式有误）")]
    out = []
    for item in (value if isinstance(value, list) else [value])[:20]:
        try:
            out.append(parse_criterion(item, book=book).describe())
        except RuleBookError:
            out.append(gettext("（无法识别的条件）"))
    return out


def _header(text: str) -> str:
    """A column header "平均绩效 ≥" in the page's language: its words translated, its comparison kept."""
    head, space, op = text.rpartition(" ")
    if space and op in ("≥", "≤", "<", ">", "=", "≠"):
        return f"{gettext(head)} {op}"
    return gettext(text)


header_text = lazy(_header, str)


def _choices(values, blank: str | None = "—"):
    return ([("", blank)] if blank is not None else []) + [(v, gettext_lazy(v)) for v in values]


class EditorForm(forms.Form):
    def full_clean(self):
        super().full_clean()
        # Bootstrap shows a message only beside an `is-invalid` input.
        for name in self.errors:
            if name in self.fields:
                mark_invalid(self, name)


def mark_invalid(form: forms.Form, field: str) -> None:
    widget = form.fields[field].widget
    css = widget.attrs.get("class", "")
    if "is-invalid" not in css:
        widget.attrs["class"] = f"{css} is-invalid".strip()


# --- standard criteria of a table row ----------------------------------------------------------


def _plain(item: Any, fact: str, op: str) -> bool:
    return isinstance(item, dict) and set(item) == {"type", "op", "value"} and item["type"] == fact and item["op"] == op


class Slot:
    """A standard criterion of a table row, ``fact op value``: one input; left empty, no criterion."""

    def __init__(self, fact: str, op: str, header: str | None = None) -> None:
        self.fact, self.op, self.name = FACTS[fact], op, fact
        self.header = header or f"{self.fact.label} {OPS[op].symbol}"

    def fields(self) -> dict[str, forms.Field]:
        if self.fact.kind == ORDINAL:
            field = forms.ChoiceField(
                label=header_text(self.header), required=False, choices=_choices(self.fact.scale), widget=Select(attrs=SELECT)
            )
            return {self.name: field}
        return {self.name: NumberField(label=header_text(self.header), integer=self.fact.kind == INTEGER)}

    def _value(self, value: Any) -> str | None:
        if self.fact.kind == ORDINAL:
            return value if isinstance(value, str) and value in self.fact.scale else None
        return number_text(value, integer=self.fact.kind == INTEGER)

    def match(self, item: Any) -> dict[str, str] | None:
        """The inputs' initial values when ``item`` is this criterion in the one shape we give back."""
        if not _plain(item, self.name, self.op):
            return None
        text = self._value(item["value"])
        return None if text is None else {self.name: text}

    def problems(self, cleaned: dict) -> list[tuple[str, str]]:
        return []

    def build(self, cleaned: dict) -> tuple[dict | None, Paths]:
        value = cleaned.get(self.name) or ""
        if not value:
            return None, {}
        return {"type": self.name, "op": self.op, "value": value}, {"": self.name}


MONTHS_LABEL = "本岗位任职月数"


class MonthsSlot(Slot):
    """本岗位任职月数 ≥ N, "或 M 个月且学历 ≥ E" — ANY(months ≥ N, ALL(months ≥ M, education ≥ E))."""

    def __init__(self) -> None:
        super().__init__("months_in_role", ">=")
        self.education = FACTS["education"]

    def fields(self) -> dict[str, forms.Field]:
        return {
            "months_in_role": NumberField(label=gettext_lazy("本岗位任职月数 ≥"), integer=True),
            "months_reduced": NumberField(label=gettext_lazy("或 任职月数 ≥"), integer=True),
            "months_education": forms.ChoiceField(
                label=gettext_lazy("且 学历 ≥"), required=False, choices=_choices(self.education.scale), widget=Select(attrs=SELECT)
            ),
        }

    def match(self, item: Any) -> dict[str, str] | None:
        plain = super().match(item)
        if plain is not None:
            return plain
        if not (isinstance(item, dict) and set(item) == {"any", "code", "label"}):
            return None
        if item["code"] != self.name or item["label"] != MONTHS_LABEL:
            return None
        alternatives = item["any"]
        if not (isinstance(alternatives, list) and len(alternatives) == 2):
            return None
        first, second = alternatives
        main = super().match(first)
        if main is None or not (isinstance(second, dict) and set(second) == {"all"}):
            return None
        both = second["all"]
        if not (isinstance(both, list) and len(both) == 2):
            return None
        reduced = super().match(both[0])
        education = both[1]
        if reduced is None or not _plain(education, "education", ">=") or education["value"] not in self.education.scale:
            return None
        return {**main, "months_reduced": reduced[self.name], "months_education": education["value"]}

    def problems(self, cleaned: dict) -> list[tuple[str, str]]:
        main, reduced, education = (cleaned.get(k) for k in ("months_in_role", "months_reduced", "months_education"))
        out = []
        if reduced and not education:
            out.append(("months_education", gettext("请同时选择缩短年限所需的学历")))
        if education and not reduced:
            out.append(("months_reduced", gettext("请同时填写该学历可缩短到的月数")))
        if (reduced or education) and not main:
            out.append(("months_in_role", gettext("请填写任职月数")))
        return out

    def build(self, cleaned: dict) -> tuple[dict | None, Paths]:
        main = cleaned.get("months_in_role") or ""
        reduced = cleaned.get("months_reduced") or ""
        education = cleaned.get("months_education") or ""
        if not main:
            return None, {}
        plain = {"type": self.name, "op": self.op, "value": main}
        if not reduced:
            return plain, {"": "months_in_role"}
        item = {
            "any": [plain, {"all": [{**plain, "value": reduced}, {"type": "education", "op": ">=", "value": education}]}],
            "code": self.name,
            "label": MONTHS_LABEL,
        }
        paths = {
            "": "months_in_role",
            ".any[0]": "months_in_role",
            ".any[1]": "months_reduced",
            ".any[1].all[0]": "months_reduced",
            ".any[1].all[1]": "months_education",
        }
        return item, paths


class CriteriaRowForm(EditorForm):
    """One table row of criteria: the standard ones (``slots``) as inputs, the others as JSON.

    ``layout`` remembers where each item stood ("months_in_role,education,*,perf_avg": ``*`` is the
    next of the others), so that a row given back unchanged is the same list in the same order.
    """

    slots: tuple[Slot, ...] = ()
    layout = forms.CharField(required=False, widget=HiddenInput, max_length=500)
    extras = JsonField(label=gettext_lazy("其他条件(JSON)"), expect=list, empty=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in self.slots:
            self.fields.update(slot.fields())

    @classmethod
    def initial_for(cls, items: list) -> dict[str, str]:
        initial: dict[str, str] = {}
        used: set[str] = set()
        layout: list[str] = []
        extras: list = []
        for item in items:
            for slot in cls.slots:
                found = None if slot.name in used else slot.match(item)
                if found is not None:
                    used.add(slot.name)
                    initial.update(found)
                    layout.append(slot.name)
                    break
            else:
                extras.append(item)
                layout.append("*")
        initial["layout"] = ",".join(layout)
        initial["extras"] = json.dumps(extras, ensure_ascii=False, indent=1) if extras else ""
        return initial

    def headers(self) -> list[str]:
        return [slot.header for slot in self.slots]

    def extras_descriptions(self) -> list[str]:
        return describe(self["extras"].value(), LADDER)

    def cells(self) -> list[list[forms.BoundField]]:
        """The inputs of each standard criterion, in table order (the months cell has three)."""
        return [[self[name] for name in slot.fields()] for slot in self.slots]

    def clean(self):
        cleaned = super().clean()
        for slot in self.slots:
            for name, message in slot.problems(cleaned):
                self.add_error(name, message)
        return cleaned

    def _order(self) -> list[str]:
        names = [slot.name for slot in self.slots]
        tokens = (self.cleaned_data.get("layout") or "").split(",") if self.cleaned_data.get("layout") else []
        slot_tokens = [t for t in tokens if t != "*"]
        if any(t not in names for t in slot_tokens) or len(set(slot_tokens)) != len(slot_tokens):
            return names  # not a layout this form wrote: the standard order
        return tokens

    def build(self) -> tuple[list, list[Paths]]:
        """The criteria list and, per item, its relative paths → field."""
        cleaned = self.cleaned_data
        built = {slot.name: slot.build(cleaned) for slot in self.slots}
        extras = list(cleaned.get("extras") or [])
        canon = {slot.name: i for i, slot in enumerate(self.slots)}
        placed: list[tuple[str, Any, Paths]] = []
        next_extra = 0
        for token in self._order():
            if token == "*":
                if next_extra < len(extras):
                    placed.append(("*", extras[next_extra], {"": f"extras#{next_extra}"}))
                    next_extra += 1
                continue
            item, paths = built.pop(token)
            if item is not None:
                placed.append((token, item, paths))
        # Criteria filled in where the row had none go after the standard ones before them.
        for name, (item, paths) in built.items():
            if item is None:
                continue
            at = 0
            for i, (token, _, _) in enumerate(placed):
                if token != "*" and canon[token] < canon[name]:
                    at = i + 1
            placed.insert(at, (name, item, paths))
        for i in range(next_extra, len(extras)):
            placed.append(("*", extras[i], {"": f"extras#{i}"}))
        return [item for _, item, _ in placed], [paths for _, _, paths in placed]


class EntryRowForm(CriteriaRowForm):
    """A rank's entry criteria (任职条件), the columns of the standard table."""

    slots = (
        MonthsSlot(),
        Slot("education", ">="),
        Slot("vocational_level", ">="),
        Slot("perf_avg", ">="),
        Slot("perf_min", ">="),
        Slot("training_score", ">="),
        Slot("ability", ">="),
    )


class LineRowForm(CriteriaRowForm):
    """A keep line (保级线) of a rank or a floor (降级线) of a level."""

    slots = (Slot("perf_avg", ">="), Slot("failed_months", "<"))


_GROUP_KINDS = [("any", gettext_lazy("满足其一即可")), ("all", gettext_lazy("须同时满足"))]


class OutstandingForm(CriteriaRowForm):
    """表现优异: a group of criteria (by default: all three scores ≥ 95, or a contribution)."""

    # Headers are words and a comparison, translated where shown (tr_header): the words are marked here.
    slots = (
        Slot("perf_min", ">=", gettext_noop("三个月最低绩效") + " ≥"),
        Slot("contributions", ">=", gettext_noop("突出贡献次数") + " ≥"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("条件关系"), choices=_GROUP_KINDS, widget=Select(attrs=SELECT))
    label = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=50, widget=TextInput(attrs=SMALL))
    code = forms.CharField(required=False, max_length=50, widget=HiddenInput)

    @classmethod
    def recognise(cls, doc: Any) -> dict | None:
        if not isinstance(doc, dict):
            return None
        kinds = [k for k in ("all", "any") if k in doc]
        if not kinds:
            return {**cls.initial_for([doc]), "kind": "all"} if "type" in doc else None
        kind = kinds[0]
        if len(kinds) != 1 or not set(doc) <= {kind, "code", "label"} or not isinstance(doc[kind], list):
            return None
        if any(not isinstance(doc.get(k, ""), str) for k in ("code", "label")):
            return None
        return {**cls.initial_for(doc[kind]), "kind": kind, "label": doc.get("label", ""), "code": doc.get("code", "")}

    def build_node(self) -> tuple[dict, list[Paths], str]:
        items, paths = self.build()
        kind = self.cleaned_data["kind"]
        node: dict[str, Any] = {kind: items}
        for key in ("code", "label"):
            if self.cleaned_data.get(key):
                node[key] = self.cleaned_data[key].strip()
        return node, paths, kind


# --- routes ------------------------------------------------------------------------------------


def _step_field(position: int) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=format_lazy(gettext_lazy("第 {position} 环节"), position=position),
        required=False,
        choices=[("", "—"), *((k, gettext_lazy(v)) for k, v in ROUTE_STEP_LABELS.items())],
        widget=Select(attrs=SELECT),
    )


def steps_recognised(steps: Any) -> bool:
    return (
        isinstance(steps, list)
        and len(steps) <= MAX_ROUTE_STEPS
        and all(isinstance(s, str) and s in ROUTE_STEPS for s in steps)
    )


class StepsForm(EditorForm):
    """An approval route as ordered step pickers: one select per position, blanks skipped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_ROUTE_STEPS + 1):
            self.fields[f"step{i}"] = _step_field(i)

    @staticmethod
    def initial_steps(steps: list[str]) -> dict[str, str]:
        return {f"step{i}": step for i, step in enumerate(steps, start=1)}

    def step_fields(self) -> list[forms.BoundField]:
        return [self[f"step{i}"] for i in range(1, MAX_ROUTE_STEPS + 1)]

    def steps(self) -> list[str]:
        return [s for i in range(1, MAX_ROUTE_STEPS + 1) if (s := self.cleaned_data.get(f"step{i}"))]


class RouteRowForm(StepsForm):
    move = forms.ChoiceField(
        label=gettext_lazy("变动"), required=False, choices=[("", "—"), *((k, gettext_lazy(ROUTE_KIND_LABELS[k])) for k in ROUTE_KINDS)],
        widget=Select(attrs=SELECT),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("适用"), required=False, choices=[("", gettext_lazy("各级通用")), *((lv, format_lazy(gettext_lazy("至{level}"), level=gettext_lazy(lv))) for lv in LEVELS)],
        widget=Select(attrs=SELECT),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("move") and (cleaned.get("level") or self.steps()):
            self.add_error("move", gettext("请选择变动类别"))
        return cleaned

    def key(self) -> str | None:
        move = self.cleaned_data.get("move")
        if not move:
            return None
        level = self.cleaned_data.get("level")
        return f"{move}:{level}" if level else move


def route_key_recognised(key: Any) -> tuple[str, str] | None:
    if not isinstance(key, str):
        return None
    move, _, level = key.partition(":")
    if move not in ROUTE_KINDS or (level and level not in LEVELS) or (":" in key and not level):
        return None
    return move, level


class BaseEditorFormSet(forms.BaseFormSet):
    deletion_widget = CheckboxInput


class BaseRouteFormSet(BaseEditorFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for i, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form):
                continue
            key = form.key()
            if key is None:
                continue
            if key in seen:
                form.add_error("move", gettext("与第 %(n)s 行重复") % {"n": seen[key]})
            else:
                seen[key] = i


RouteFormSet = forms.formset_factory(
    RouteRowForm, formset=BaseRouteFormSet, extra=2, can_delete=True, max_num=40, absolute_max=40, validate_max=True
)


# --- settings ----------------------------------------------------------------------------------


class HeaderForm(EditorForm):
    name = forms.CharField(label=gettext_lazy("标准名称"), required=False, max_length=200, widget=TextInput(attrs=SMALL))
    version = forms.CharField(label=gettext_lazy("文件版本号"), required=False, max_length=50, widget=TextInput(attrs=SMALL))
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=TEXT_MAX, widget=Textarea(attrs={**SMALL, "rows": "2"})
    )

    KEYS = ("name", "version", "description")

    @staticmethod
    def recognised(key: str, value: Any) -> bool:
        if key == "version" and isinstance(value, int) and not isinstance(value, bool):
            return True
        return isinstance(value, str) and value == value.strip() and (key == "description" or "\n" not in value)


class FailLineForm(EditorForm):
    fail_line = NumberField(label=gettext_lazy("不合格线(月度考核低于此分)"), required=True)


class NoticeForm(EditorForm):
    days = NumberField(label=gettext_lazy("公示天数"), integer=True, required=True)
    counting = forms.ChoiceField(
        label=gettext_lazy("计算方式"), choices=[(k, gettext_lazy(v)) for k, v in NOTICE_COUNTINGS.items()], widget=Select(attrs=SELECT)
    )

    @staticmethod
    def recognise(doc: Any) -> dict | None:
        if not (isinstance(doc, dict) and set(doc) == {"days", "counting"}):
            return None
        days = number_text(doc["days"], integer=True)
        if days is None or doc["counting"] not in NOTICE_COUNTINGS:
            return None
        return {"days": days, "counting": doc["counting"]}


class SkipForm(EditorForm):
    levels = forms.MultipleChoiceField(
        label=gettext_lazy("级别"), required=False, choices=[(lv, gettext_lazy(lv)) for lv in LEVELS[1:]], widget=forms.CheckboxSelectMultiple
    )
    grades = forms.MultipleChoiceField(
        label=gettext_lazy("档次"), required=False, choices=[(g, g) for g in GRADES], widget=forms.CheckboxSelectMultiple
    )

    @staticmethod
    def recognise(doc: Any) -> dict | None:
        if not (isinstance(doc, dict) and set(doc) == {"levels", "grades"}):
            return None
        levels, grades = doc["levels"], doc["grades"]
        if not (isinstance(levels, list) and isinstance(grades, list)):
            return None
        if len(set(map(str, levels))) != len(levels) or len(set(map(str, grades))) != len(grades):
            return None
        if not (set(levels) <= set(LEVELS[1:]) and set(grades) <= set(GRADES)):
            return None
        return {"levels": list(levels), "grades": list(grades)}

    def build(self) -> dict:
        # In the ladder's order, whatever order the boxes were ticked in (a set to the engine).
        chosen_levels, chosen_grades = set(self.cleaned_data["levels"]), set(self.cleaned_data["grades"])
        return {
            "levels": [lv for lv in LEVELS[1:] if lv in chosen_levels],
            "grades": [g for g in GRADES if g in chosen_grades],
        }


class PayForm(EditorForm):
    base = NumberField(label=gettext_lazy("岗位工资基数(元/月)"), required=True)

    def __init__(self, *args, ranks: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.ranks = ranks
        for i, rank in enumerate(ranks):
            self.fields[f"c{i}"] = NumberField(label=rank, required=True)

    def coefficient_fields(self) -> list[forms.BoundField]:
        return [self[f"c{i}"] for i in range(len(self.ranks))]


# --- the monopoly book: one criterion per row --------------------------------------------------

MONOPOLY_FACTS = [f for f in FACTS.values() if MONOPOLY in f.books]
YES, NO = "是", "否"


class CriterionRowForm(EditorForm):
    """One condition as selects (type, comparison, value, level), or as JSON when it is a group."""

    type = forms.ChoiceField(
        label=gettext_lazy("条件"), required=False, choices=[("", "—"), *((f.name, gettext_lazy(f.label)) for f in MONOPOLY_FACTS)],
        widget=Select(attrs=SELECT),
    )
    op = forms.ChoiceField(
        label=gettext_lazy("比较"), required=False, initial=">=", choices=[(t, op.symbol) for t, op in OPS.items()],
        widget=Select(attrs=SELECT),
    )
    value = forms.CharField(
        label=gettext_lazy("数值"), required=False, max_length=50, widget=TextInput(attrs={**SMALL, "list": "rb-values"})
    )
    level = forms.ChoiceField(
        label=gettext_lazy("所指等级"), required=False, choices=_choices(MONOPOLY_LEVELS), widget=Select(attrs=SELECT)
    )
    group = JsonField(label=gettext_lazy("组合条件(JSON)"), expect=dict)

    @staticmethod
    def initial_for(item: Any) -> dict[str, str]:
        simple = _simple_criterion(item)
        return simple if simple is not None else {"group": json.dumps(item, ensure_ascii=False, indent=1)}

    def is_group(self) -> bool:
        value = self["group"].value()
        return bool(value and str(value).strip())

    def group_descriptions(self) -> list[str]:
        return describe(self["group"].value(), MONOPOLY)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") is not None or "group" in self.errors:
            return cleaned
        fact = FACTS.get(cleaned.get("type") or "")
        value = (cleaned.get("value") or "").strip()
        if fact is None:
            if value:
                self.add_error("type", gettext("请选择条件类型"))
            return cleaned
        if not value:
            self.add_error("value", gettext("请填写数值"))
        elif fact.kind == BOOLEAN and value not in (YES, NO):
            self.add_error("value", gettext("请填写“%(yes)s”或“%(no)s”") % {"yes": YES, "no": NO})
        elif fact.kind not in (BOOLEAN, ORDINAL) and not (_INTEGER if fact.kind == INTEGER else _NUMBER).fullmatch(
            to_halfwidth(value)
        ):
            self.add_error("value", gettext("请填写整数") if fact.kind == INTEGER else gettext("请填写数字"))
        if fact.param and not cleaned.get("level"):
            self.add_error("level", gettext("请选择所指的等级"))
        return cleaned

    def build(self) -> tuple[dict | None, Paths]:
        cleaned = self.cleaned_data
        if cleaned.get("group") is not None:
            return cleaned["group"], {"": "group"}
        fact = FACTS.get(cleaned.get("type") or "")
        if fact is None:
            return None, {}
        text = cleaned["value"].strip()
        value: Any = text == YES if fact.kind == BOOLEAN else (text if fact.kind == ORDINAL else to_halfwidth(text))
        item: dict[str, Any] = {"type": fact.name, "op": cleaned.get("op") or ">=", "value": value}
        if fact.param:
            item[fact.param] = cleaned["level"]
        return item, {"": None}


def _simple_criterion(item: Any) -> dict[str, str] | None:
    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        return None
    fact = FACTS.get(item["type"])
    if fact is None or fact not in MONOPOLY_FACTS:
        return None
    if set(item) != {"type", "op", "value"} | ({fact.param} if fact.param else set()):
        return None
    if item["op"] not in OPS:
        return None
    raw = item["value"]
    if fact.kind == BOOLEAN:
        text = (YES if raw else NO) if isinstance(raw, bool) else None
    elif fact.kind == ORDINAL:
        text = raw if isinstance(raw, str) and raw and raw == raw.strip() else None
    else:
        text = number_text(raw, integer=fact.kind == INTEGER)
    if text is None:
        return None
    initial = {"type": fact.name, "op": item["op"], "value": text}
    if fact.param:
        if item[fact.param] not in MONOPOLY_LEVELS:
            return None
        initial["level"] = item[fact.param]
    return initial


CriteriaFormSet = forms.formset_factory(
    CriterionRowForm, formset=BaseEditorFormSet, extra=1, can_delete=True, max_num=40, absolute_max=40, validate_max=True
)


class ManualForm(EditorForm):
    manual = forms.CharField(
        label=gettext_lazy("人工评议项目(每行一项)"), required=False, max_length=5 * TEXT_MAX,
        widget=Textarea(attrs={**SMALL, "rows": "3"}),
    )

    @staticmethod
    def recognise(manual: Any) -> str | None:
        if not isinstance(manual, list):
            return None
        if not all(isinstance(m, str) and m and m == m.strip() and "\n" not in m for m in manual):
            return None
        return "\n".join(manual)

    def items(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("manual") or "").splitlines() if line.strip()]


# --- sections nobody laid out ------------------------------------------------------------------


def path_label(path: tuple[str, ...]) -> str:
    return " › ".join(gettext(SECTION_LABELS.get(p, p)) for p in path)


def _leaf_count(value: Any) -> int:
    if isinstance(value, dict) and value:
        return sum(_leaf_count(v) for v in value.values())
    return 1


class SectionsForm(EditorForm):
    """Top-level sections the editor does not lay out (a section another version of the book
    added, or one whose shape the tables cannot give back): each value an input, labelled by its
    path; lists and anything else in a JSON box. The sections' JSON rides along in ``base`` so
    that the same inputs are rebuilt from a post."""

    base = forms.CharField(required=False, widget=HiddenInput, max_length=10 * JSON_MAX)

    def __init__(self, data=None, *, sections: dict | None = None, prefix: str = "x"):
        super().__init__(data, prefix=prefix)
        self.base_problem: str | None = None
        if data is None:
            self.sections = dict(sections or {})
            self.initial["base"] = dump_json(self.sections)
        else:
            self.sections = self._posted_base()
        self.leaves: list[tuple[str, tuple[str, ...], str]] = []  # field name, path, kind
        for key, value in self.sections.items():
            self._walk((key,), value, whole=_leaf_count(value) > MAX_LEAVES)

    def _posted_base(self) -> dict:
        text = self.data.get(self.add_prefix("base")) or ""
        if not text:
            return {}
        try:
            if len(text) > 10 * JSON_MAX:
                raise ValidationError(gettext("内容过长"))
            value = load_json(text)
        except ValidationError:
            value = None
        if not isinstance(value, dict):
            self.base_problem = gettext("页面内容不完整，请重新打开编辑页面")
            return {}
        return value

    def _walk(self, path: tuple[str, ...], value: Any, *, whole: bool) -> None:
        if isinstance(value, dict) and value and not whole:
            for key, sub in value.items():
                self._walk((*path, key), sub, whole=False)
            return
        name = f"leaf{len(self.leaves)}"
        label = path_label(path)
        if isinstance(value, bool):
            field: forms.Field = forms.ChoiceField(
                label=label, choices=[("true", gettext_lazy(YES)), ("false", gettext_lazy(NO))], widget=Select(attrs=SELECT)
            )
            initial, kind = ("true" if value else "false"), "bool"
        elif isinstance(value, str) and "\n" not in value:
            field = forms.CharField(
                label=label, required=False, strip=False, max_length=TEXT_MAX, widget=TextInput(attrs=SMALL)
            )
            initial, kind = value, "str"
        elif isinstance(value, int):
            field = forms.CharField(label=label, required=False, max_length=50, widget=TextInput(attrs=SMALL))
            initial, kind = str(value), "int"
        else:
            field = JsonField(label=label, empty=None)
            initial, kind = json.dumps(value, ensure_ascii=False, indent=1), "json"
        self.fields[name] = field
        self.initial[name] = initial
        self.leaves.append((name, path, kind))

    def clean(self):
        cleaned = super().clean()
        if self.base_problem:
            raise ValidationError(self.base_problem)
        return cleaned

    def build(self) -> tuple[dict, dict[str, str]]:
        """The sections with the edited values, and each value's path (as the parser writes it) → field."""
        out = json.loads(dump_json(self.sections))
        paths: dict[str, str] = {}
        for name, path, kind in self.leaves:
            raw = self.cleaned_data.get(name)
            if kind == "bool":
                value: Any = raw == "true"
            elif kind == "int":
                text = to_halfwidth(raw or "").strip()
                value = int(text) if _INTEGER.fullmatch(text) and len(text) < 19 else text
            else:
                value = raw
            target = out
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            paths[".".join(path)] = name
        return out, paths

    def fields_in_order(self) -> list[forms.BoundField]:
        return [self[name] for name, _, _ in self.leaves]
