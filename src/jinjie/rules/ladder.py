"""Fixed vocabulary of the ladders (SPEC 2 and 3): ranks, levels, grades and the ordered scales.

These are the words of the SPEC glossary, not policy: thresholds live in the rule books.
"""

from __future__ import annotations

__all__ = [
    "AUTHOR_ROLES",
    "COUNTED_AUTHOR_ROLES",
    "COUNTED_JOURNAL_LEVELS",
    "EDUCATION_LEVELS",
    "GRADES",
    "JOURNAL_LEVELS",
    "LADDER_TRACKS",
    "LEVELS",
    "MONOPOLY_LEVELS",
    "MOVES",
    "MOVE_LABELS",
    "RANKS",
    "ROUTE_STEPS",
    "ROUTE_STEP_LABELS",
    "ANNUAL_APPRAISAL_RATINGS",
    "SHUANGNENG_RATINGS",
    "TOP_STEP",
    "TRACKS",
    "VOCATIONAL_LEVELS",
    "education_rank",
    "grade_of",
    "level_index",
    "level_of",
    "move_between",
    "normalize_education",
    "normalize_vocational",
    "rank_step",
    "annual_appraisal_rank",
    "ladder_rank_index",
    "monopoly_level_rank",
    "shuangneng_rank",
    "step_rank",
    "vocational_rank",
]

# --- the non-management ladder (SPEC 2) -------------------------------------------------------

RANKS: tuple[str, ...] = (
    "见习",
    "初级C",
    "初级B",
    "初级A",
    "中级C",
    "中级B",
    "中级A",
    "高级C",
    "高级B",
    "高级A",
)
TOP_STEP = len(RANKS) - 1
LEVELS: tuple[str, ...] = ("见习", "初级", "中级", "高级")
GRADES: tuple[str, ...] = ("C", "B", "A")

_RANK_STEP = {name: i for i, name in enumerate(RANKS)}
_LEVEL_OF_STEP = tuple(LEVELS[0] if i == 0 else LEVELS[(i - 1) // 3 + 1] for i in range(len(RANKS)))
_LEVEL_INDEX_OF_STEP = tuple(0 if i == 0 else (i - 1) // 3 + 1 for i in range(len(RANKS)))
_GRADE_OF_STEP = tuple(None if i == 0 else GRADES[(i - 1) % 3] for i in range(len(RANKS)))


def rank_step(name: str) -> int:
    """``"初级C"`` → 1. An empty name is 见习 (SPEC 6: empty current_rank = 见习)."""
    if name is None or name == "":
        return 0
    try:
        return _RANK_STEP[name]
    except (KeyError, TypeError):
        stripped = name.strip() if isinstance(name, str) else name
        if stripped in _RANK_STEP:
            return _RANK_STEP[stripped]
        raise ValueError(f"未知的职级 {name!r}，应为：{'、'.join(RANKS)}") from None


def step_rank(step: int) -> str:
    """1 → ``"初级C"``."""
    if not isinstance(step, int) or not 0 <= step <= TOP_STEP:
        raise ValueError(f"职级序号应为 0–{TOP_STEP}，实为 {step!r}")
    return RANKS[step]


def level_of(step: int) -> str:
    """The level (级) of a step: 见习, 初级, 中级 or 高级."""
    return _LEVEL_OF_STEP[step]


def level_index(step: int) -> int:
    """0 for 见习, 1 for 初级, 2 for 中级, 3 for 高级."""
    return _LEVEL_INDEX_OF_STEP[step]


def grade_of(step: int) -> str | None:
    """The grade (档) within the level: C, B or A; None for 见习."""
    return _GRADE_OF_STEP[step]


# --- moves and routes (SPEC 2.3, 2.4) ----------------------------------------------------------

MOVE_LABELS: dict[str, str] = {
    "grade_up": "晋档",
    "level_up": "晋级",
    "skip_grade": "跳档",
    "skip_level": "跳级",
    "grade_down": "降档",
    "level_down": "降级",
    "hold": "保持",
    "incomplete": "数据不全",
}
MOVES: tuple[str, ...] = tuple(MOVE_LABELS)

ROUTE_STEP_LABELS: dict[str, str] = {
    "track_review": "序列审核",
    "committee": "考评委员会",
    "leader": "分局(公司)领导",
    "director": "局长(经理)",
    "notice": "公示",
}
ROUTE_STEPS: tuple[str, ...] = tuple(ROUTE_STEP_LABELS)


def move_between(from_step: int, to_step: int) -> str:
    """Name of the move from one step to another (SPEC 2.3: the name follows from the steps)."""
    if to_step == from_step:
        return "hold"
    same_level = _LEVEL_INDEX_OF_STEP[from_step] == _LEVEL_INDEX_OF_STEP[to_step]
    if to_step > from_step:
        if to_step - from_step == 1:
            return "grade_up" if same_level else "level_up"
        return "skip_grade" if same_level else "skip_level"
    return "grade_down" if same_level else "level_down"


def was_demotion(from_rank: str | None, to_rank: str | None) -> bool:
    """Was this rank change a demotion on the ladder? (SPEC 2.3, 连续两次降级.)

    An empty from_rank is 见习 (SPEC 6); a change from or to a monopoly level is not a ladder move.
    """
    if to_rank is None:
        return False
    start = _RANK_STEP.get(from_rank or RANKS[0])
    end = _RANK_STEP.get(to_rank)
    return start is not None and end is not None and end < start


DEMOTION_KINDS = ("grade", "level")


def demotion_step(step: int, kind: str) -> int:
    """Where a demotion from `step` lands (SPEC 2.3): 降档 one step down, 降级 the same grade one
    level lower (初级 falls to 见习). ValueError for 见习 (nothing below) or an unknown kind."""
    if kind not in DEMOTION_KINDS:
        raise ValueError("降档/降级应为 grade（降档）或 level（降级）")
    if step <= 0:
        raise ValueError(f"现为{RANKS[0]}，不能再降")
    return step - 1 if kind == "grade" else max(0, step - 3)


def flags_reassignment(to_step: int, previous_change_was_demotion: bool) -> bool:
    """SPEC 2.3: a demotion that ends at 见习 right after another demotion goes to HR (调整岗位)."""
    return to_step == 0 and previous_change_was_demotion


# --- tracks ------------------------------------------------------------------------------------

TRACKS: tuple[str, ...] = ("客户经理", "市场管理员", "专卖管理员")
LADDER_TRACKS: tuple[str, ...] = ("客户经理", "市场管理员")

# --- ordered scales ----------------------------------------------------------------------------

EDUCATION_LEVELS: tuple[str, ...] = ("初中及以下", "高中", "大专", "本科", "硕士", "博士")
_EDUCATION_SYNONYMS = {
    "初中": "初中及以下",
    "小学": "初中及以下",
    "中专": "高中",
    "职高": "高中",
    "技校": "高中",
    "中技": "高中",
    "专科": "大专",
    "大学专科": "大专",
    "大学本科": "本科",
    "硕士研究生": "硕士",
    "博士研究生": "博士",
}
_EDUCATION_RANK: dict[str, int] = {name: i for i, name in enumerate(EDUCATION_LEVELS)}
_EDUCATION_RANK.update({k: _EDUCATION_RANK[v] for k, v in _EDUCATION_SYNONYMS.items()})

# 五级 is the lowest, 一级 the highest: "四级及以上" means 四级, 三级, 二级 or 一级.
VOCATIONAL_LEVELS: tuple[str, ...] = ("五级", "四级", "三级", "二级", "一级")
_VOCATIONAL_SYNONYMS = {
    "初级工": "五级",
    "中级工": "四级",
    "高级工": "三级",
    "技师": "二级",
    "高级技师": "一级",
    "5级": "五级",
    "4级": "四级",
    "3级": "三级",
    "2级": "二级",
    "1级": "一级",
}
_VOCATIONAL_RANK: dict[str, int] = {name: i for i, name in enumerate(VOCATIONAL_LEVELS)}
_VOCATIONAL_RANK.update({k: _VOCATIONAL_RANK[v] for k, v in _VOCATIONAL_SYNONYMS.items()})

SHUANGNENG_RATINGS: tuple[str, ...] = ("不合格", "合格", "良好", "优秀")
_SHUANGNENG_RANK: dict[str, int] = {name: i for i, name in enumerate(SHUANGNENG_RATINGS)}


def _lookup(table: dict[str, int], value: str | None) -> int | None:
    if value is None:
        return None
    rank = table.get(value)
    if rank is None and isinstance(value, str):
        rank = table.get(value.strip())
    return rank


def education_rank(value: str | None) -> int | None:
    """Position in EDUCATION_LEVELS (synonyms allowed: 中专 = 职高 = 技校 = 高中); None if unknown."""
    return _lookup(_EDUCATION_RANK, value)


def vocational_rank(value: str | None) -> int | None:
    """Position in VOCATIONAL_LEVELS (0 = 五级 … 4 = 一级); None if unknown."""
    return _lookup(_VOCATIONAL_RANK, value)


def shuangneng_rank(value: str | None) -> int | None:
    """Position in SHUANGNENG_RATINGS; None if unknown."""
    return _lookup(_SHUANGNENG_RANK, value)


# 年度考核 (the annual appraisal, SPEC 4: "≥ 称职"), lowest first.
ANNUAL_APPRAISAL_RATINGS: tuple[str, ...] = ("不称职", "基本称职", "称职", "优秀")
_ANNUAL_APPRAISAL_RANK: dict[str, int] = {name: i for i, name in enumerate(ANNUAL_APPRAISAL_RATINGS)}


def annual_appraisal_rank(value: str | None) -> int | None:
    """Position in ANNUAL_APPRAISAL_RATINGS; None if unknown."""
    return _lookup(_ANNUAL_APPRAISAL_RANK, value)


def ladder_rank_index(value: str | None) -> int | None:
    """Step of a ladder rank (初级C → 1); None if not a rank of the ladder (a criterion's scale)."""
    return _lookup(_RANK_STEP, value)


def normalize_education(value: str) -> str:
    """The canonical name: ``"中专"`` → ``"高中"``. Raises ``ValueError`` for an unknown value."""
    rank = education_rank(value)
    if rank is None:
        raise ValueError(
            f"未知的学历 {value!r}，应为：{'、'.join(EDUCATION_LEVELS)}（中专、职高、技校按高中）"
        )
    return EDUCATION_LEVELS[rank]


def normalize_vocational(value: str) -> str:
    """The canonical name: ``"中级工"`` → ``"四级"``. Raises ``ValueError`` for an unknown value."""
    rank = vocational_rank(value)
    if rank is None:
        raise ValueError(f"未知的职业技能等级 {value!r}，应为：{'、'.join(VOCATIONAL_LEVELS)}")
    return VOCATIONAL_LEVELS[rank]


# --- the monopoly administrator ladder (SPEC 3) -----------------------------------------------

MONOPOLY_LEVELS: tuple[str, ...] = (
    "初级专卖管理员",
    "中级专卖管理员",
    "高级专卖管理员",
    "专卖管理师",
    "高级专卖管理师",
)
JOURNAL_LEVELS: tuple[str, ...] = ("市级", "省级", "国家级")
AUTHOR_ROLES: tuple[str, ...] = ("独著", "第一作者", "其他")
COUNTED_JOURNAL_LEVELS = frozenset({"省级", "国家级"})
COUNTED_AUTHOR_ROLES = frozenset({"独著", "第一作者"})

_MONOPOLY_LEVEL_RANK: dict[str, int] = {name: i for i, name in enumerate(MONOPOLY_LEVELS)}


def monopoly_level_rank(value: str | None) -> int | None:
    """Position in MONOPOLY_LEVELS (初级专卖管理员 → 0); None if unknown."""
    return _lookup(_MONOPOLY_LEVEL_RANK, value)
