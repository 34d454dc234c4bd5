"""The default rule books (SPEC 2.2, 2.4, 2.5 and 3), as the JSON documents ``jinjie init`` loads.

They are data: HR edits copies of them in the database. Numbers are strings (Decimal on parse).
Treat these dicts as read-only; ``copy.deepcopy`` them before changing anything.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_LADDER_BOOK", "DEFAULT_MONOPOLY_BOOK"]


def _c(fact: str, op: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"type": fact, "op": op, "value": value, **extra}


def _months(months: str, reduced: str | None, education: str | None) -> dict[str, Any]:
    """ "36, or 24 with 大专+" is ANY(months ≥ 36, ALL(months ≥ 24, education ≥ 大专))."""
    if reduced is None:
        return _c("months_in_role", ">=", months)
    return {
        "any": [
            _c("months_in_role", ">=", months),
            {"all": [_c("months_in_role", ">=", reduced), _c("education", ">=", education)]},
        ],
        "code": "months_in_role",
        "label": "本岗位任职月数",
    }


# SPEC 2.2, row by row:
# rank, months, reduced months, with education, education ≥, vocational ≥, perf_avg ≥, perf_min ≥,
# training ≥, ability ≥
_LADDER_TABLE: tuple[tuple[Any, ...], ...] = (
    ("初级C", "12", None, None, "高中", None, "80", "70", "60", None),
    ("初级B", "15", None, None, "高中", None, "82", "72", "60", None),
    ("初级A", "18", None, None, "高中", "五级", "84", "74", "65", None),
    ("中级C", "36", "24", "大专", "高中", "四级", "86", "76", "70", "70"),
    ("中级B", "39", "27", "大专", "高中", "四级", "87", "78", "70", "70"),
    ("中级A", "42", "30", "大专", "高中", "四级", "88", "80", "75", "75"),
    ("高级C", "60", "48", "本科", "大专", "三级", "90", "82", "80", "80"),
    ("高级B", "63", "51", "本科", "大专", "三级", "91", "84", "80", "80"),
    ("高级A", "66", "54", "本科", "大专", "三级", "92", "86", "85", "85"),
)
_KEEP_MARGIN = 5  # keep threshold (保级线) = entry perf_avg − 5


def _rank_entry(row: tuple[Any, ...]) -> dict[str, Any]:
    _, months, reduced, with_edu, education, vocational, avg, low, training, ability = row
    criteria = [_months(months, reduced, with_edu), _c("education", ">=", education)]
    if vocational:
        criteria.append(_c("vocational_level", ">=", vocational))
    criteria += [_c("perf_avg", ">=", avg), _c("perf_min", ">=", low), _c("training_score", ">=", training)]
    if ability:
        criteria.append(_c("ability", ">=", ability))
    keep = [
        _c("perf_avg", ">=", str(int(avg) - _KEEP_MARGIN)),
        _c("failed_months", "<", "1"),  # one month 不合格 → down one step
    ]
    return {"criteria": criteria, "keep": keep}


def _floor(avg: str) -> list[dict[str, Any]]:
    return [
        _c("perf_avg", ">=", avg),
        _c("failed_months", "<", "2"),  # two or more months 不合格 → down one level
    ]


_COMMITTEE_LEADER = ["committee", "leader"]
_COMMITTEE_LEADER_NOTICE = ["committee", "leader", "notice"]

DEFAULT_LADDER_BOOK: dict[str, Any] = {
    "kind": "ladder",
    "name": "非管理类职级评定标准（默认）",
    "version": "1",
    "ranks": {row[0]: _rank_entry(row) for row in _LADDER_TABLE},
    "level_floors": {"初级": _floor("70"), "中级": _floor("75"), "高级": _floor("80")},
    "fail_line": "60",
    "outstanding": {
        "any": [_c("perf_min", ">=", "95"), _c("contributions", ">=", "1")],
        "label": "表现优异",
    },
    "skip": {"levels": ["初级", "中级"], "grades": ["C", "B"]},
    # SPEC 2.4; "move:level" names the level the move ends in.
    "routes": {
        "grade_up:初级": ["track_review"],
        "grade_up:中级": list(_COMMITTEE_LEADER),
        "grade_up:高级": list(_COMMITTEE_LEADER),
        "level_up:初级": ["track_review", "notice"],
        "level_up:中级": list(_COMMITTEE_LEADER_NOTICE),
        "level_up:高级": list(_COMMITTEE_LEADER_NOTICE),
        "skip_grade": list(_COMMITTEE_LEADER_NOTICE),
        "skip_level": ["committee", "director", "notice"],
        "grade_down": ["committee"],
        "level_down": ["committee"],
        "immediate_demotion": ["committee"],
    },
    "notice": {"days": "7", "counting": "calendar"},
    "pay": {
        "base": "2000",
        "coefficients": {
            "见习": "1.0",
            "初级C": "1.2",
            "初级B": "1.3",
            "初级A": "1.4",
            "中级C": "1.6",
            "中级B": "1.75",
            "中级A": "1.9",
            "高级C": "2.1",
            "高级B": "2.3",
            "高级A": "2.5",
        },
    },
    # SPEC 2.6: favour lists add points by the level of the rank held on 31 December.
    "favour": {"bonus": {"中级": "3", "高级": "6"}},
}


def _common(exam: bool = True) -> list[dict[str, Any]]:
    return [_c("level_exam", "==", True), _c("law_cert", "==", True)] if exam else []


def _held(level: str, months: str) -> dict[str, Any]:
    return _c("held_months", ">=", months, level=level)


DEFAULT_MONOPOLY_BOOK: dict[str, Any] = {
    "kind": "monopoly",
    "name": "专卖管理员等级申报条件（默认）",
    "version": "1",
    "levels": {
        "初级专卖管理员": {
            "criteria": [
                _c("exp_months", ">=", "12"),
                _c("pay_grade", "<=", "10"),
                _c("education", ">=", "高中"),
                *_common(),
                _c("shuangneng", ">=", "合格"),
            ],
            "manual": [
                "运用专卖管理基本技能，独立完成常规专卖管理工作",
                "了解市场营销基础理论知识和客户服务基本技能",
            ],
        },
        "中级专卖管理员": {
            "criteria": [
                {
                    "any": [
                        {
                            "all": [
                                _c("education", ">=", "大专"),
                                _c("exp_months", ">=", "24"),
                                _held("初级专卖管理员", "12"),
                            ]
                        },
                        {
                            "all": [
                                _c("education", ">=", "高中"),
                                _c("exp_months", ">=", "48"),
                                _held("初级专卖管理员", "36"),
                            ]
                        },
                    ],
                    "code": "experience",
                    "label": "学历、专卖管理工作经历与初级资格年限",
                },
                _c("pay_grade", "<=", "9"),
                *_common(),
                _c("shuangneng", ">=", "良好"),
            ],
            "manual": [
                "熟练运用专卖管理基本技能，独立完成常规的专卖管理工作或合作完成较为复杂的专卖执法和管理服务工作",
                "掌握市场营销基础理论知识，具备一定的市场分析能力和客户服务技能",
            ],
        },
        "高级专卖管理员": {
            "criteria": [
                _c("exp_months", ">=", "36"),
                _held("中级专卖管理员", "12"),
                _c("pay_grade", "<=", "9"),
                _c("education", ">=", "大专"),
                *_common(),
                _c("publications", ">=", "1"),
            ],
            "manual": [
                "能够熟练运用专门技能完成较为复杂的专卖执法和管理服务工作，并独立处理工作中出现的问题",
            ],
        },
        # 专卖管理师 and 高级专卖管理师: defaults (the source document stops at 高级专卖管理员).
        "专卖管理师": {
            "criteria": [
                _c("exp_months", ">=", "60"),
                _held("高级专卖管理员", "24"),
                _c("pay_grade", "<=", "8"),
                _c("education", ">=", "大专"),
                *_common(),
                _c("shuangneng", ">=", "良好"),
                _c("publications", ">=", "2"),
            ],
            "manual": [
                "能够组织完成复杂的专卖执法和管理服务工作，解决工作中的疑难问题",
                "具备指导、培训初级和中级专卖管理员的能力",
            ],
        },
        "高级专卖管理师": {
            "criteria": [
                _c("exp_months", ">=", "96"),
                _held("专卖管理师", "36"),
                _c("pay_grade", "<=", "7"),
                _c("education", ">=", "本科"),
                *_common(),
                _c("shuangneng", "==", "优秀"),
                _c("publications", ">=", "3"),
                _c("national_publications", ">=", "1"),
            ],
            "manual": [
                "能够统筹重大、疑难专卖案件查办和市场管理工作，并提出改进建议",
                "具备系统的专卖管理理论知识，能够指导和培训专卖管理人员",
            ],
        },
    },
    "route": ["committee", "notice"],
}
