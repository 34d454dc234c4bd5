"""The rule book edited as forms (web.rulebook_editor): the forms give back exactly the JSON the
engine parses — unchanged, the same document; each edit, the same document as the JSON edit it
replaces — and the parse's messages come back next to the field they concern.

The forms are read from their rendered HTML as a browser would post them (html_forms), so a test
also fails when a template forgets an input."""

import copy
import json

import pytest
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict

from jinjie.rules.book import RuleBookError, parse_ladder_book, parse_monopoly_book
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK, DEFAULT_MONOPOLY_BOOK
from jinjie.web.rulebook_editor import LadderEditor, MonopolyEditor

from .html_forms import form_data


def rendered(editor) -> str:
    return render_to_string(editor.template, {"editor": editor})


def data_of(editor) -> dict[str, list[str]]:
    """What the browser posts from the editor's inputs, untouched."""
    return form_data(f'<form id="rulebook-form">{rendered(editor)}</form>')


def post(cls, data: dict[str, list[str]]):
    return cls(MultiValueDict({k: list(v) for k, v in data.items()}))


def start(cls, doc) -> dict[str, list[str]]:
    return data_of(cls(document=copy.deepcopy(doc)))


def checked(cls, data) -> dict:
    editor = post(cls, data)
    out = editor.check()
    assert out is not None, _messages(editor)
    return out


def _messages(editor) -> list:
    found = list(editor.top_errors) + [e for errs in editor.section_errors.values() for e in errs]
    for form in editor.all_forms():
        for f in getattr(form, "forms", [form]):
            found += [(f.prefix, k, list(v)) for k, v in f.errors.items()]
    return found


def set_(data, name, value):
    data[name] = value if isinstance(value, list) else [value]


def route_row(data, key: str) -> str:
    """The prefix of the route row showing `key` ("grade_up:初级")."""
    move, _, level = key.partition(":")
    for name, values in data.items():
        if name.startswith("rt-") and name.endswith("-move") and values == [move]:
            prefix = name[: -len("move")]
            if data.get(prefix + "level", [""]) == [level]:
                return prefix
    raise AssertionError(f"no route row {key}")


def blank_route_row(data) -> str:
    for name, values in sorted(data.items()):
        if name.startswith("rt-") and name.endswith("-move") and values == [""]:
            return name[: -len("move")]
    raise AssertionError("no blank route row")


# ---- unchanged in, unchanged out ------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "doc"), [(LadderEditor, DEFAULT_LADDER_BOOK), (MonopolyEditor, DEFAULT_MONOPOLY_BOOK)])
def test_a_default_book_posted_back_untouched_is_the_same_document(cls, doc):
    data = start(cls, doc)
    assert len(data) > 50  # the inputs were really read from the page
    assert checked(cls, data) == doc


def test_the_ladder_tables_show_the_default_values_in_their_cells():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    # 中级C: 36, or 24 with 大专+; 高中; 四级; 86; 76; 70; 70 — and its keep line 81.
    assert [data[f"e4-{name}"] for name in (
        "months_in_role", "months_reduced", "months_education", "education", "vocational_level", "perf_avg", "perf_min",
        "training_score", "ability",
    )] == [["36"], ["24"], ["大专"], ["高中"], ["四级"], ["86"], ["76"], ["70"], ["70"]]
    assert data["e1-ability"] == [""] and data["e1-months_reduced"] == [""]
    assert data["k4-perf_avg"] == ["81"] and data["f3-perf_avg"] == ["80"]
    assert data["p-base"] == ["2000"] and data["p-c5"] == ["1.75"]
    assert data["n-days"] == ["7"] and data["n-counting"] == ["calendar"]
    assert data["sk-levels"] == ["初级", "中级"] and data["sk-grades"] == ["C", "B"]
    prefix = route_row(data, "skip_level")
    assert [data[f"{prefix}step{i}"] for i in (1, 2, 3, 4)] == [["committee"], ["director"], ["notice"], [""]]


# ---- each form edit is the JSON edit it replaces -----------------------------------------------------


def _ladder_edits():
    def criteria(doc, rank):
        return doc["ranks"][rank]["criteria"]

    def months_group(doc):
        criteria(doc, "中级C")[0]["any"][1]["all"][0]["value"] = "20"
        criteria(doc, "中级C")[0]["any"][1]["all"][1]["value"] = "本科"

    def reduction_for_chuji_c(doc):
        criteria(doc, "初级C")[0] = {
            "any": [
                {"type": "months_in_role", "op": ">=", "value": "12"},
                {"all": [{"type": "months_in_role", "op": ">=", "value": "10"}, {"type": "education", "op": ">=", "value": "大专"}]},
            ],
            "code": "months_in_role",
            "label": "本岗位任职月数",
        }

    def route_edit(data):
        set_(data, route_row(data, "grade_up:初级") + "step1", "committee")

    def route_add(data):
        prefix = blank_route_row(data)
        set_(data, prefix + "move", "skip_grade")
        set_(data, prefix + "level", "中级")
        set_(data, prefix + "step1", "committee")
        set_(data, prefix + "step3", "notice")  # a gap between steps is closed up

    def route_swap(data):
        set_(data, route_row(data, "grade_up:中级") + "DELETE", "on")
        prefix = blank_route_row(data)
        set_(data, prefix + "move", "grade_up")
        set_(data, prefix + "step1", "committee")

    def route_reorder(data):
        prefix = route_row(data, "level_up:中级")
        set_(data, prefix + "step1", "leader")
        set_(data, prefix + "step2", "committee")

    return {
        "perf-avg": (lambda d: set_(d, "e4-perf_avg", "87"), lambda doc: criteria(doc, "中级C")[3].update(value="87")),
        "perf-avg-full-width": (lambda d: set_(d, "e4-perf_avg", "８７.５"), lambda doc: criteria(doc, "中级C")[3].update(value="87.5")),
        "months-reduction": (
            lambda d: (set_(d, "e4-months_reduced", "20"), set_(d, "e4-months_education", "本科")), months_group,
        ),
        "months-reduction-added": (
            lambda d: (set_(d, "e1-months_reduced", "10"), set_(d, "e1-months_education", "大专")), reduction_for_chuji_c,
        ),
        "months-reduction-removed": (
            lambda d: (set_(d, "e4-months_reduced", ""), set_(d, "e4-months_education", "")),
            lambda doc: criteria(doc, "中级C").__setitem__(0, {"type": "months_in_role", "op": ">=", "value": "36"}),
        ),
        "ability-cleared": (lambda d: set_(d, "e4-ability", ""), lambda doc: criteria(doc, "中级C").pop(6)),
        "ability-added": (
            lambda d: set_(d, "e1-ability", "60"),
            lambda doc: criteria(doc, "初级C").append({"type": "ability", "op": ">=", "value": "60"}),
        ),
        "vocational-added-in-its-column": (
            lambda d: set_(d, "e2-vocational_level", "五级"),
            lambda doc: criteria(doc, "初级B").insert(2, {"type": "vocational_level", "op": ">=", "value": "五级"}),
        ),
        "education": (lambda d: set_(d, "e9-education", "本科"), lambda doc: criteria(doc, "高级A")[1].update(value="本科")),
        "keep-line": (lambda d: set_(d, "k4-perf_avg", "80"), lambda doc: doc["ranks"]["中级C"]["keep"][0].update(value="80")),
        "floor": (lambda d: set_(d, "f2-failed_months", "3"), lambda doc: doc["level_floors"]["中级"][1].update(value="3")),
        "fail-line": (lambda d: set_(d, "fl-fail_line", "55"), lambda doc: doc.update(fail_line="55")),
        "outstanding": (
            lambda d: (set_(d, "o-perf_min", "96"), set_(d, "o-kind", "all")),
            lambda doc: doc.update(outstanding={"all": [
                {"type": "perf_min", "op": ">=", "value": "96"}, {"type": "contributions", "op": ">=", "value": "1"},
            ], "label": "表现优异"}),
        ),
        "skip": (
            lambda d: (set_(d, "sk-levels", ["初级"]), set_(d, "sk-grades", ["C"])),
            lambda doc: doc.update(skip={"levels": ["初级"], "grades": ["C"]}),
        ),
        "notice": (
            lambda d: (set_(d, "n-days", "5"), set_(d, "n-counting", "working")),
            lambda doc: doc.update(notice={"days": "5", "counting": "working"}),
        ),
        "pay-base": (lambda d: set_(d, "p-base", "2100"), lambda doc: doc["pay"].update(base="2100")),
        "pay-coefficient": (lambda d: set_(d, "p-c4", "1.65"), lambda doc: doc["pay"]["coefficients"].update({"中级C": "1.65"})),
        "route-edited": (route_edit, lambda doc: doc["routes"].update({"grade_up:初级": ["committee"]})),
        "route-added": (route_add, lambda doc: doc["routes"].update({"skip_grade:中级": ["committee", "notice"]})),
        "route-replaced-by-a-general-one": (
            route_swap, lambda doc: (doc["routes"].pop("grade_up:中级"), doc["routes"].update(grade_up=["committee"])),
        ),
        "route-reordered": (route_reorder, lambda doc: doc["routes"].update({"level_up:中级": ["leader", "committee", "notice"]})),
        "name": (lambda d: set_(d, "h-name", "临江市局职级标准"), lambda doc: doc.update(name="临江市局职级标准")),
        "description-added": (lambda d: set_(d, "h-description", "2027 年修订"), lambda doc: doc.update(description="2027 年修订")),
    }


LADDER_EDITS = _ladder_edits()


@pytest.mark.parametrize("edit", LADDER_EDITS.values(), ids=LADDER_EDITS.keys())
def test_each_ladder_form_edit_gives_the_json_edit_it_replaces(edit):
    form_edit, json_edit = edit
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    form_edit(data)
    expected = copy.deepcopy(DEFAULT_LADDER_BOOK)
    json_edit(expected)
    parse_ladder_book(expected)  # the JSON edit itself is a valid book
    assert checked(LadderEditor, data) == expected


def _monopoly_edits():
    def criteria(doc, level):
        return doc["levels"][level]["criteria"]

    def add_row(data):
        # The blank row after 初级's six conditions.
        set_(data, "m1-6-type", "publications")
        set_(data, "m1-6-op", ">=")
        set_(data, "m1-6-value", "1")

    def group_edit(data):
        group = json.loads(data["m2-0-group"][0])
        group["any"][0]["all"][1]["value"] = "18"
        set_(data, "m2-0-group", json.dumps(group, ensure_ascii=False))

    return {
        "value": (lambda d: set_(d, "m1-0-value", "18"), lambda doc: criteria(doc, "初级专卖管理员")[0].update(value="18")),
        "comparison": (lambda d: set_(d, "m5-6-op", ">="), lambda doc: criteria(doc, "高级专卖管理师")[6].update(op=">=")),
        "row-deleted": (lambda d: set_(d, "m1-1-DELETE", "on"), lambda doc: criteria(doc, "初级专卖管理员").pop(1)),
        "row-added": (add_row, lambda doc: criteria(doc, "初级专卖管理员").append({"type": "publications", "op": ">=", "value": "1"})),
        "yes-no": (lambda d: set_(d, "m1-4-value", "否"), lambda doc: criteria(doc, "初级专卖管理员")[4].update(value=False)),
        "held-level": (
            lambda d: set_(d, "m3-1-level", "初级专卖管理员"),
            lambda doc: criteria(doc, "高级专卖管理员")[1].update(level="初级专卖管理员"),
        ),
        "group-json": (group_edit, lambda doc: criteria(doc, "中级专卖管理员")[0]["any"][0]["all"][1].update(value="18")),
        "manual": (
            lambda d: set_(d, "mm1-manual", "独立完成常规专卖管理工作\n\n  了解客户服务  "),
            lambda doc: doc["levels"]["初级专卖管理员"].update(manual=["独立完成常规专卖管理工作", "了解客户服务"]),
        ),
        "route": (
            lambda d: (set_(d, "r-step2", ""), set_(d, "r-step3", "leader")),
            lambda doc: doc.update(route=["committee", "leader"]),
        ),
    }


MONOPOLY_EDITS = _monopoly_edits()


@pytest.mark.parametrize("edit", MONOPOLY_EDITS.values(), ids=MONOPOLY_EDITS.keys())
def test_each_monopoly_form_edit_gives_the_json_edit_it_replaces(edit):
    form_edit, json_edit = edit
    data = start(MonopolyEditor, DEFAULT_MONOPOLY_BOOK)
    form_edit(data)
    expected = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    json_edit(expected)
    parse_monopoly_book(expected)
    assert checked(MonopolyEditor, data) == expected


# ---- messages next to their fields -------------------------------------------------------------------


def _failed(cls, data):
    editor = post(cls, data)
    assert editor.check() is None
    return editor


def test_a_value_that_is_no_number_is_refused_beside_its_input():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    set_(data, "e4-perf_avg", "八十六")
    editor = _failed(LadderEditor, data)
    assert editor.entry["中级C"].errors["perf_avg"] == ["请填写数字，例如 84"]
    assert "is-invalid" in editor.entry["中级C"].fields["perf_avg"].widget.attrs["class"]
    assert not editor.top_errors


def test_the_books_own_checks_come_back_beside_the_field_they_concern():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    set_(data, "p-c2", "0")  # 初级B
    set_(data, "n-days", "0")
    set_(data, "e5-perf_min", "1000000000")  # 中级B
    editor = _failed(LadderEditor, data)
    assert editor.pay.errors["c2"] == ["应为正数，实为 '0'"]
    assert editor.notice.errors["days"] == ["应为正数，实为 '0'"]
    assert editor.entry["中级B"].errors["perf_min"] == ["数值超出范围 '1000000000'（应小于 10 亿，最多 6 位小数）"]
    assert not editor.top_errors
    page = rendered(editor)
    assert "应为正数，实为 &#x27;0&#x27;" in page and "is-invalid" in page


def test_the_months_reduction_needs_both_its_months_and_its_education():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    set_(data, "e1-months_reduced", "10")
    editor = _failed(LadderEditor, data)
    assert editor.entry["初级C"].errors["months_education"] == ["请同时选择缩短年限所需的学历"]


def test_an_other_condition_in_json_is_checked_and_its_message_names_it():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    set_(data, "e4-extras", '[{"type": "violations", "op": "<", "value": "1"}, {"type": "violations", "op": ">>", "value": "1"}]')
    editor = _failed(LadderEditor, data)
    [message] = editor.entry["中级C"].errors["extras"]
    assert message.startswith("第 2 条其他条件：未知的比较运算符 '>>'")


def test_a_route_missing_for_a_move_is_said_above_the_routes():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    set_(data, route_row(data, "immediate_demotion") + "DELETE", "on")
    editor = _failed(LadderEditor, data)
    assert editor.section_errors["routes"] == ["缺少 'immediate_demotion'（即时降档/降级）的审批路径"]
    assert "缺少 &#x27;immediate_demotion&#x27;" in rendered(editor)


def test_two_rows_for_the_same_route_are_refused():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    prefix = blank_route_row(data)
    set_(data, prefix + "move", "grade_down")
    set_(data, prefix + "step1", "committee")
    editor = _failed(LadderEditor, data)
    [row] = [f for f in editor.routes.forms if f.errors]
    assert row.errors["move"][0].startswith("与第 ") and row.errors["move"][0].endswith("行重复")


def test_a_route_left_without_steps_goes_to_the_engine_as_an_empty_route():
    """The forms allow an empty route; whether a book may have one is the engine's to say, and
    what it says appears beside the row."""
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    prefix = route_row(data, "grade_up:初级")
    set_(data, prefix + "step1", "")
    editor = post(LadderEditor, data)
    out = editor.check()
    expected = copy.deepcopy(DEFAULT_LADDER_BOOK)
    expected["routes"]["grade_up:初级"] = []
    try:
        parse_ladder_book(expected)
    except RuleBookError as e:
        assert out is None
        [row] = [f for f in editor.routes.forms if f.non_field_errors()]
        assert row.non_field_errors() == [e.errors[0].partition(": ")[2].split("，例如")[0]]
    else:
        assert out == expected


def test_messages_no_field_produced_are_shown_at_the_top():
    data = start(LadderEditor, DEFAULT_LADDER_BOOK)
    editor = post(LadderEditor, data)
    assert editor.check() is not None
    editor.add_errors(["评定标准由省公司或市局(分局)制定", "(根): 缺少字段 'ranks'", "pay.coefficients.初级C: 应为正数"])
    assert editor.top_errors == ["评定标准由省公司或市局(分局)制定", "(根): 缺少字段 'ranks'"]
    assert editor.pay.errors["c1"] == ["应为正数"]


def test_a_monopoly_condition_with_a_bad_value_is_refused_in_its_row():
    data = start(MonopolyEditor, DEFAULT_MONOPOLY_BOOK)
    set_(data, "m1-2-value", "研究生")  # education
    set_(data, "m1-3-value", "也许")  # level exam: yes or no
    editor = _failed(MonopolyEditor, data)
    rows = editor.criteria["初级专卖管理员"].forms
    assert rows[3].errors["value"] == ["请填写“是”或“否”"]
    set_(data, "m1-3-value", "是")
    editor = _failed(MonopolyEditor, data)
    assert editor.criteria["初级专卖管理员"].forms[2].non_field_errors() == [
        "未知的学历 '研究生'，应为：初中及以下、高中、大专、本科、硕士、博士"
    ]


# ---- nothing is lost ----------------------------------------------------------------------------------


def _custom_ladder():
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["中级C"]["criteria"].insert(2, {"type": "violations", "op": "<", "value": "1"})
    doc["ranks"]["中级B"]["criteria"][0]["label"] = "任职年限"  # a months group worded differently
    doc["ranks"]["高级A"]["keep"].append({"any": [{"type": "ability", "op": ">=", "value": "80"}, {"type": "contributions", "op": ">=", "value": "1"}]})
    doc["outstanding"]["any"].insert(1, {"type": "ability", "op": ">=", "value": "95"})
    doc["description"] = "含自定义条件"
    return doc


def test_conditions_the_tables_do_not_hold_are_kept_in_their_places():
    doc = _custom_ladder()
    parse_ladder_book(doc)
    editor = LadderEditor(document=copy.deepcopy(doc))
    assert editor.entry["中级C"].extras_descriptions() == ["本测评期违规记录 < 1 次"]
    assert editor.entry["中级B"].extras_descriptions() == ["任职年限：本岗位任职月数 ≥ 39 个月 或 （本岗位任职月数 ≥ 27 个月 且 学历 ≥ 大专）"]
    assert "本测评期违规记录 &lt; 1 次" in rendered(editor)
    assert checked(LadderEditor, data_of(editor)) == doc


def test_a_standard_value_filled_in_beside_other_conditions_goes_in_its_column():
    doc = _custom_ladder()
    data = start(LadderEditor, doc)
    set_(data, "e4-ability", "")
    set_(data, "e6-ability", "")
    set_(data, "e6-vocational_level", "")
    set_(data, "e4-vocational_level", "三级")
    out = checked(LadderEditor, data)
    assert [c.get("type") for c in out["ranks"]["中级C"]["criteria"]] == [
        None, "education", "violations", "vocational_level", "perf_avg", "perf_min", "training_score",
    ]


def test_a_section_the_editor_does_not_know_is_edited_value_by_value():
    """Another version of the book may add a section (the favour lists' bonus): it shows as
    inputs under its path and comes back as it was, edits included."""
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["favour"] = {"bonus": {"中级": "3", "高级": "6"}, "weights": [1, 2], "strict": True, "months": 6}
    editor = LadderEditor(document=copy.deepcopy(doc))
    page = rendered(editor)
    assert "评先、外派学习、推荐干部名单 › 职级加分 › 中级" in page
    data = data_of(editor)
    unchanged = post(LadderEditor, data)
    assert unchanged.is_valid()
    assert unchanged.document() == doc
    [bonus] = [name for name, path, _ in unchanged.sections.leaves if path == ("favour", "bonus", "中级")]
    set_(data, f"x-{bonus}", "4")
    edited = post(LadderEditor, data)
    assert edited.is_valid()
    assert edited.document()["favour"] == {"bonus": {"中级": "4", "高级": "6"}, "weights": [1, 2], "strict": True, "months": 6}


ODD_SHAPES = {
    "pay-a-string": lambda d: d.update(pay="2000"),
    "unknown-route-step": lambda d: d["routes"].update(grade_down=["committee", "hr"]),
    "a-rank-missing": lambda d: d["ranks"].pop("高级A"),
    "notice-with-more-keys": lambda d: d["notice"].update(extra="1"),
    "outstanding-a-list": lambda d: d.update(outstanding=[1, 2]),
    "skip-unknown-level": lambda d: d["skip"]["levels"].append("特级"),
    "name-a-list": lambda d: d.update(name=["默认"]),
    "kind-wrong": lambda d: d.update(kind="monopoly"),
    "floors-a-dict": lambda d: d["level_floors"].update(中级={"a": 1}),
    "threshold-a-float": lambda d: d["ranks"]["初级C"]["criteria"][2].update(value=80.5),
}


@pytest.mark.parametrize("odd", ODD_SHAPES.values(), ids=ODD_SHAPES.keys())
def test_a_section_in_a_shape_the_tables_cannot_hold_is_kept_as_it_is(odd):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    odd(doc)
    editor = post(LadderEditor, start(LadderEditor, doc))
    assert editor.is_valid(), _messages(editor)
    assert editor.document() == doc
    assert editor.check() is None  # each is an invalid book: its messages are shown, not lost
    assert _messages(editor)


def test_an_unknown_section_of_the_monopoly_book_is_kept_too():
    doc = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    doc["levels"]["初级专卖管理员"]["manual"] = "一行文字"
    doc["extra"] = {"a": "1"}
    editor = post(MonopolyEditor, start(MonopolyEditor, doc))
    assert editor.is_valid()
    assert editor.document() == doc


@pytest.mark.parametrize("junk", [
    {}, {"ranks": None}, {"ranks": {"初级C": None}}, {"routes": "x", "pay": {"base": []}}, {"levels": [1]}, {"x": {"y": {}}},
])
@pytest.mark.parametrize("cls", [LadderEditor, MonopolyEditor])
def test_any_json_object_opens_in_the_forms_without_failing(cls, junk):
    editor = cls(document=junk)
    assert rendered(editor)
    cls(MultiValueDict({k: list(v) for k, v in data_of(editor).items()})).check()
