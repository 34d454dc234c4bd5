"""The interchange kinds of SPEC 6: for each, its columns (key, Chinese label, parser, required),
its record key, and the checks that need more than one cell.

The column order here is the export's column order; the Chinese label is the export's header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgKind, OrgUnit
from jinjie.people.models import (
    ANNUAL_RATINGS,
    EDUCATION_CHOICES,
    LADDER_RANKS,
    MONOPOLY_LEVELS,
    VOCATIONAL_CHOICES,
    AnnualKind,
    AnnualRating,
    AuthorRole,
    Contribution,
    Employee,
    Gender,
    JournalLevel,
    Publication,
    Qualification,
    RankChange,
    Severity,
    Status,
    Track,
    TrainingKind,
    TrainingRecord,
    Violation,
)
from jinjie.selections.models import ScoreEntry

from . import fields as f

ALL_RANKS = LADDER_RANKS + MONOPOLY_LEVELS
RANK_HISTORY_CONFLICT = "职级变动记录不可修改（生效日期相同的记录已存在）"
QUALIFICATION_FIXED = (
    "已取得的专卖管理员等级不可修改（取得日期与已存记录不同）；如需更正，"
    "请由人事劳资在员工档案页面对该等级办理“更正”并写明原因"
)
# 专卖管理员 are not on the ten-step ladder: they hold a monopoly level, or none yet (见习).
MONOPOLY_TRACK_RANKS = ("见习", *MONOPOLY_LEVELS)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    parse: Callable[[Any], Any]
    required: bool = False
    # What a blank cell stores: "" for text fields, None for nullable ones.
    empty: Any = None
    # Model attribute written (employee_no of a record → employee_id, org_unit → org_unit_id) and
    # the lookup an export reads it through.
    attname: str = ""
    source: str = ""
    # Blank keeps the stored value (and a new record takes the model default): 状态, 当前职级.
    blank_keeps: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "attname", self.attname or self.key)
        object.__setattr__(self, "source", self.source or self.key)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Extra headers are item scores (scores only); elsewhere an unknown header is an error.
    items: bool = False
    # A key column that also narrows the query for stored rows (months of a score file …).
    narrow: str | None = None
    append_only: bool = False
    # A stored record that may not change: a row that would update it is refused with this reason.
    refuse_update: str = ""
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    by_key: dict[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    @property
    def is_employees(self) -> bool:
        return self.model is Employee

    @property
    def headers(self) -> list[str]:
        return [c.label for c in self.columns]


def _text(model: type[models.Model], name: str, label: str, required: bool = False) -> Column:
    max_length = model._meta.get_field(name).max_length
    return Column(name, label, f.text(max_length), required=required, empty="")


def _choice(name: str, label: str, options, required: bool = False, blank_keeps: bool = False) -> Column:
    return Column(
        name,
        label,
        f.choice(options),
        required=required,
        empty=None if blank_keeps else "",
        blank_keeps=blank_keeps,
    )


def _employee_no(model: type[models.Model]) -> Column:
    if model is Employee:
        max_length = Employee._meta.get_field("employee_no").max_length
        return Column("employee_no", "工号", f.code(max_length), required=True, empty="")
    return Column(
        "employee_no",
        "工号",
        f.code(32),
        required=True,
        empty="",
        attname="employee_id",
        source="employee__employee_no",
    )


def _date(name: str, label: str, required: bool = False) -> Column:
    return Column(name, label, f.iso_date, required=required)


def _check_employee(values: dict[str, Any]) -> list[tuple[str, str]]:
    rank, track = values.get("current_rank"), values.get("track")
    if not rank or not track:
        return []
    allowed = MONOPOLY_TRACK_RANKS if track == Track.MONOPOLY_ADMINISTRATOR else LADDER_RANKS
    if rank not in allowed:
        return [("current_rank", f"岗位序列为{track}时应为以下之一：{'、'.join(allowed)}")]
    return []


def _check_training(values: dict[str, Any]) -> list[tuple[str, str]]:
    if values.get("kind") == TrainingKind.LEVEL_EXAM and not values.get("level"):
        return [("level", "等级考试须填写等级")]
    return []


def _check_annual(values: dict[str, Any]) -> list[tuple[str, str]]:
    kind, rating = values.get("kind"), values.get("rating")
    allowed = ANNUAL_RATINGS.get(kind, ())
    if kind and rating and rating not in allowed:
        return [("rating", f"{kind}的等次应为以下之一：{'、'.join(allowed)}")]
    return []


def _check_rank_change(values: dict[str, Any]) -> list[tuple[str, str]]:
    if values.get("from_rank") and values.get("from_rank") == values.get("to_rank"):
        return [("to_rank", "新职级与原职级相同")]
    return []


EMPLOYEES = Kind(
    "employees",
    "员工",
    Employee,
    (
        _employee_no(Employee),
        _text(Employee, "name", "姓名", required=True),
        Column(
            "org_unit", "所属单位", f.org_path, required=True, attname="org_unit_id", source="org_unit__path"
        ),
        _choice("track", "岗位序列", Track.values, required=True),
        _date("role_start_date", "本岗位起始日期", required=True),
        _date("hire_date", "入职日期"),
        _choice("education", "学历", [e for e, _ in EDUCATION_CHOICES]),
        _choice("vocational_level", "职业技能等级", [v for v, _ in VOCATIONAL_CHOICES]),
        Column("pay_grade", "工资档次", f.integer(1, 99)),
        # Blank = 见习 for a new employee (SPEC 6) but "unchanged" for a stored one: a blank cell must
        # not demote anybody, since every rank change is written to the append-only history.
        _choice("current_rank", "当前职级", ALL_RANKS, blank_keeps=True),
        _date("rank_since", "现职级起始日期"),
        _date("law_cert_valid_until", "执法资格有效期至"),
        _choice("gender", "性别", Gender.values),
        _date("birth_date", "出生日期"),
        Column("id_number", "身份证号", f.id_number, empty=""),
        _text(Employee, "phone", "手机号"),
        _choice("status", "状态", Status.values, blank_keeps=True),
    ),
    key=("employee_no",),
    check=_check_employee,
)

SCORES = Kind(
    "scores",
    "月度考核",
    MonthlyScore,
    (
        _employee_no(MonthlyScore),
        Column("month", "月份", f.month, required=True),
        # Required as a column; a blank cell is the sum of the row's items (SPEC 5, checked against
        # the scheme in force by the planner), and refused when the row has no items.
        Column("score", "考核得分", f.SCORE, required=True),
    ),
    key=("employee_no", "month"),
    items=True,
    narrow="month",
)

TRAINING = Kind(
    "training",
    "培训记录",
    TrainingRecord,
    (
        _employee_no(TrainingRecord),
        _date("date", "日期", required=True),
        _choice("kind", "类别", TrainingKind.values, required=True),
        _text(TrainingRecord, "course", "课程"),
        _choice("level", "等级", MONOPOLY_LEVELS),
        Column("hours", "学时", f.decimal(0, 9999, 1)),
        Column("score", "成绩", f.SCORE),
        Column("passed", "是否合格", f.boolean),
    ),
    key=("employee_no", "date", "kind", "course", "level"),
    check=_check_training,
)

ABILITY = Kind(
    "ability",
    "综合能力测评",
    AbilityScore,
    (
        _employee_no(AbilityScore),
        Column("period", "测评期", f.period, required=True),
        Column("score", "得分", f.SCORE, required=True),
    ),
    key=("employee_no", "period"),
    narrow="period",
)

VIOLATIONS = Kind(
    "violations",
    "违规记录",
    Violation,
    (
        _employee_no(Violation),
        _date("date", "日期", required=True),
        _choice("severity", "情节", Severity.values, required=True),
        _text(Violation, "description", "说明"),
    ),
    key=("employee_no", "date", "description"),
)

CONTRIBUTIONS = Kind(
    "contributions",
    "突出贡献",
    Contribution,
    (
        _employee_no(Contribution),
        _date("date", "日期", required=True),
        _text(Contribution, "description", "说明"),
    ),
    key=("employee_no", "date", "description"),
)

ANNUAL = Kind(
    "annual",
    "年度考核",
    AnnualRating,
    (
        _employee_no(AnnualRating),
        Column("year", "年度", f.integer(1950, 2100), required=True),
        _choice("kind", "类别", AnnualKind.values, required=True),
        _choice(
            "rating",
            "等次",
            sorted({r for ratings in ANNUAL_RATINGS.values() for r in ratings}),
            required=True,
        ),
    ),
    key=("employee_no", "year", "kind"),
    check=_check_annual,
)

PUBLICATIONS = Kind(
    "publications",
    "论文",
    Publication,
    (
        _employee_no(Publication),
        _date("date", "日期", required=True),
        _text(Publication, "title", "题目", required=True),
        _choice("journal_level", "刊物级别", JournalLevel.values, required=True),
        _choice("author_role", "署名", AuthorRole.values, required=True),
        _text(Publication, "journal", "刊物"),
    ),
    key=("employee_no", "title"),
)

QUALIFICATIONS = Kind(
    "qualifications",
    "资格",
    Qualification,
    (
        _employee_no(Qualification),
        _choice("level", "等级", MONOPOLY_LEVELS, required=True),
        _date("granted_date", "取得日期", required=True),
    ),
    key=("employee_no", "level"),
    # A granted level is never edited (SPEC 3.1): a wrong date is corrected on the employee's page.
    refuse_update=QUALIFICATION_FIXED,
)

RANK_HISTORY = Kind(
    "rank_history",
    "职级变动",
    RankChange,
    (
        _employee_no(RankChange),
        _date("effective_date", "生效日期", required=True),
        # Required as a column; a blank cell is allowed: the first entry of a history has no
        # previous rank (RankChange.from_rank is blank then).
        _choice("from_rank", "原职级", ALL_RANKS, required=True),
        _choice("to_rank", "新职级", ALL_RANKS, required=True),
        _text(RankChange, "reason", "原因"),
    ),
    key=("employee_no", "effective_date"),
    append_only=True,
    refuse_update=RANK_HISTORY_CONFLICT,
    check=_check_rank_change,
)

ORG_KIND_BY_LABEL = {label: value for value, label in OrgKind.choices}


def _org_kind(raw: Any) -> str | None:
    """类型 as written in the file (省公司 …) → the stored value (province …)."""
    label = f.choice(ORG_KIND_BY_LABEL)(raw)
    return None if label is None else ORG_KIND_BY_LABEL[label]


ORG_UNITS = Kind(
    "org_units",
    "单位",
    OrgUnit,
    (
        Column(
            "path",
            "单位路径",
            f.unit_path(OrgUnit._meta.get_field("name").max_length, OrgUnit._meta.get_field("path").max_length),
            required=True,
        ),
        Column("kind", "类型", _org_kind, required=True),
        Column("code", "编码", f.code(OrgUnit._meta.get_field("code").max_length), empty=""),
    ),
    key=("path",),
)

# A selection's scores (SPEC 4, 6): written through the channel's service, not as rows of a model
# (interchange/selections.py plans and writes them); `speech` is the final 演讲答辩 score where no
# judge's sheet is entered, `democratic` the final 民主测评 score where no ballots are.
SELECTION_SCORES = Kind(
    "selection_scores",
    "竞聘成绩",
    ScoreEntry,
    (
        Column("selection", "竞聘编号", f.code(20), required=True, empty=""),
        Column("employee_no", "工号", f.code(32), required=True, empty=""),
        Column("written", "笔试", f.SCORE),
        Column("speech", "演讲答辩", f.SCORE),
        Column("democratic", "民主测评", f.SCORE),
    ),
    key=("selection", "employee_no"),
)

# A required column whose cell may still be blank (see RANK_HISTORY above).
BLANK_ALLOWED = frozenset({("rank_history", "from_rank"), ("scores", "score")})

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        # Units first: employees name them, so they are imported before anything else.
        ORG_UNITS,
        EMPLOYEES,
        SCORES,
        TRAINING,
        ABILITY,
        VIOLATIONS,
        CONTRIBUTIONS,
        ANNUAL,
        PUBLICATIONS,
        QUALIFICATIONS,
        RANK_HISTORY,
        SELECTION_SCORES,
    )
}


def kinds_text() -> str:
    """The kinds as a refusal lists them: the key one types, with its Chinese name ("employees（员工）")."""
    return "、".join(f"{name}（{kind.label}）" for name, kind in KINDS.items())


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"未知的数据类别「{name}」，应为：{kinds_text()}") from None
