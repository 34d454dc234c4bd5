"""The default rule books say exactly what SPEC 2.2, 2.4, 2.5 and 3 say."""

from decimal import Decimal

import pytest

from jinjie.rules import (
    DEFAULT_LADDER_BOOK,
    DEFAULT_MONOPOLY_BOOK,
    RANKS,
    parse_ladder_book,
    parse_monopoly_book,
)

BOOK = parse_ladder_book(DEFAULT_LADDER_BOOK)
MONOPOLY = parse_monopoly_book(DEFAULT_MONOPOLY_BOOK)

# SPEC 2.2, one row per rank, as the engine describes it to people.
ENTRY = {
    "初级C": [
        "本岗位任职月数 ≥ 12 个月",
        "学历 ≥ 高中",
        "平均绩效 ≥ 80",
        "最低月度绩效 ≥ 70",
        "培训成绩 ≥ 60",
    ],
    "初级B": [
        "本岗位任职月数 ≥ 15 个月",
        "学历 ≥ 高中",
        "平均绩效 ≥ 82",
        "最低月度绩效 ≥ 72",
        "培训成绩 ≥ 60",
    ],
    "初级A": [
        "本岗位任职月数 ≥ 18 个月",
        "学历 ≥ 高中",
        "职业技能等级 ≥ 五级",
        "平均绩效 ≥ 84",
        "最低月度绩效 ≥ 74",
        "培训成绩 ≥ 65",
    ],
    "中级C": [
        "本岗位任职月数 ≥ 36 个月 或 （≥ 24 个月 且 学历 ≥ 大专）",
        "学历 ≥ 高中",
        "职业技能等级 ≥ 四级",
        "平均绩效 ≥ 86",
        "最低月度绩效 ≥ 76",
        "培训成绩 ≥ 70",
        "综合能力测评 ≥ 70",
    ],
    "中级B": [
        "本岗位任职月数 ≥ 39 个月 或 （≥ 27 个月 且 学历 ≥ 大专）",
        "学历 ≥ 高中",
        "职业技能等级 ≥ 四级",
        "平均绩效 ≥ 87",
        "最低月度绩效 ≥ 78",
        "培训成绩 ≥ 70",
        "综合能力测评 ≥ 70",
    ],
    "中级A": [
        "本岗位任职月数 ≥ 42 个月 或 （≥ 30 个月 且 学历 ≥ 大专）",
        "学历 ≥ 高中",
        "职业技能等级 ≥ 四级",
        "平均绩效 ≥ 88",
        "最低月度绩效 ≥ 80",
        "培训成绩 ≥ 75",
        "综合能力测评 ≥ 75",
    ],
    "高级C": [
        "本岗位任职月数 ≥ 60 个月 或 （≥ 48 个月 且 学历 ≥ 本科）",
        "学历 ≥ 大专",
        "职业技能等级 ≥ 三级",
        "平均绩效 ≥ 90",
        "最低月度绩效 ≥ 82",
        "培训成绩 ≥ 80",
        "综合能力测评 ≥ 80",
    ],
    "高级B": [
        "本岗位任职月数 ≥ 63 个月 或 （≥ 51 个月 且 学历 ≥ 本科）",
        "学历 ≥ 大专",
        "职业技能等级 ≥ 三级",
        "平均绩效 ≥ 91",
        "最低月度绩效 ≥ 84",
        "培训成绩 ≥ 80",
        "综合能力测评 ≥ 80",
    ],
    "高级A": [
        "本岗位任职月数 ≥ 66 个月 或 （≥ 54 个月 且 学历 ≥ 本科）",
        "学历 ≥ 大专",
        "职业技能等级 ≥ 三级",
        "平均绩效 ≥ 92",
        "最低月度绩效 ≥ 86",
        "培训成绩 ≥ 85",
        "综合能力测评 ≥ 85",
    ],
}


@pytest.mark.parametrize("rank", RANKS[1:])
def test_entry_criteria_are_the_rows_of_spec_2_2(rank):
    assert [c.describe() for c in BOOK.rank(rank).criteria] == ENTRY[rank]


def test_keep_lines_are_entry_average_minus_five_and_no_failed_month():
    keep = {rule.name: [c.describe() for c in rule.keep] for rule in BOOK.ranks[1:]}
    lines = dict(zip(RANKS[1:], ["75", "77", "79", "81", "82", "83", "85", "86", "87"], strict=True))
    for rank, line in lines.items():
        assert keep[rank] == [f"平均绩效（{rank}保级线） ≥ {line}", f"不合格月数（{rank}保级线） < 1 个月"]


def test_level_floors_and_the_failed_month_line():
    floors = {level: [c.describe() for c in nodes] for level, nodes in BOOK.level_floors.items()}
    assert floors == {
        level: [f"平均绩效（{level}降级线） ≥ {avg}", f"不合格月数（{level}降级线） < 2 个月"]
        for level, avg in (("初级", "70"), ("中级", "75"), ("高级", "80"))
    }
    assert BOOK.fail_line == Decimal("60")


def test_outstanding_is_three_scores_of_95_or_a_contribution():
    assert BOOK.outstanding.describe() == "表现优异：最低月度绩效 ≥ 95 或 本测评期突出贡献 ≥ 1 次"


def test_skips_from_c_and_b_grades_of_junior_and_intermediate_only():
    assert [rank for step, rank in enumerate(RANKS) if BOOK.can_skip_from(step)] == [
        "初级C",
        "初级B",
        "中级C",
        "中级B",
    ]


def test_routes_of_spec_2_4():
    assert BOOK.route_for("grade_up", 2) == ("track_review",)
    assert BOOK.route_for("grade_up", 5) == BOOK.route_for("grade_up", 8) == ("committee", "leader")
    assert BOOK.route_for("level_up", 1) == ("track_review", "notice")
    assert BOOK.route_for("level_up", 4) == BOOK.route_for("level_up", 7) == ("committee", "leader", "notice")
    assert BOOK.route_for("skip_grade", 6) == ("committee", "leader", "notice")
    assert BOOK.route_for("skip_level", 4) == ("committee", "director", "notice")
    assert BOOK.route_for("grade_down", 4) == BOOK.route_for("level_down", 0) == ("committee",)
    assert BOOK.route_for("immediate_demotion") == ("committee",)
    assert BOOK.route_for("hold", 3) == ()
    assert (BOOK.notice_days, BOOK.notice_counting) == (7, "calendar")


def test_rank_pay_is_base_times_coefficient():
    pay = [BOOK.pay_for(step) for step in range(10)]
    assert pay == [Decimal(x) for x in (2000, 2400, 2600, 2800, 3200, 3500, 3800, 4200, 4600, 5000)]
    assert BOOK.pay_base == Decimal("2000")


def test_numbers_are_strings_in_the_document_and_decimals_in_the_book():
    assert DEFAULT_LADDER_BOOK["ranks"]["初级A"]["criteria"][3] == {
        "type": "perf_avg",
        "op": ">=",
        "value": "84",
    }
    assert BOOK.rank("初级A").criteria[3].value == Decimal("84")


MONOPOLY_ROWS = {
    "初级专卖管理员": [
        "专卖管理工作月数 ≥ 12 个月",
        "工资档次 ≤ 10 档",
        "学历 ≥ 高中",
        "本级等级考试 已通过",
        "执法资格 有效",
        "上年度专卖双能考核 ≥ 合格",
    ],
    "中级专卖管理员": [
        "学历、专卖管理工作经历与初级资格年限：（学历 ≥ 大专 且 专卖管理工作月数 ≥ 24 个月 且 "
        "取得初级专卖管理员资格月数 ≥ 12 个月） 或 （学历 ≥ 高中 且 专卖管理工作月数 ≥ 48 个月 且 "
        "取得初级专卖管理员资格月数 ≥ 36 个月）",
        "工资档次 ≤ 9 档",
        "本级等级考试 已通过",
        "执法资格 有效",
        "上年度专卖双能考核 ≥ 良好",
    ],
    "高级专卖管理员": [
        "专卖管理工作月数 ≥ 36 个月",
        "取得中级专卖管理员资格月数 ≥ 12 个月",
        "工资档次 ≤ 9 档",
        "学历 ≥ 大专",
        "本级等级考试 已通过",
        "执法资格 有效",
        "省级及以上刊物论文（独著或第一作者） ≥ 1 篇",
    ],
    "专卖管理师": [
        "专卖管理工作月数 ≥ 60 个月",
        "取得高级专卖管理员资格月数 ≥ 24 个月",
        "工资档次 ≤ 8 档",
        "学历 ≥ 大专",
        "本级等级考试 已通过",
        "执法资格 有效",
        "上年度专卖双能考核 ≥ 良好",
        "省级及以上刊物论文（独著或第一作者） ≥ 2 篇",
    ],
    "高级专卖管理师": [
        "专卖管理工作月数 ≥ 96 个月",
        "取得专卖管理师资格月数 ≥ 36 个月",
        "工资档次 ≤ 7 档",
        "学历 ≥ 本科",
        "本级等级考试 已通过",
        "执法资格 有效",
        "上年度专卖双能考核 = 优秀",
        "省级及以上刊物论文（独著或第一作者） ≥ 3 篇",
        "国家级刊物论文（独著或第一作者） ≥ 1 篇",
    ],
}


@pytest.mark.parametrize("level", list(MONOPOLY_ROWS))
def test_monopoly_conditions_are_the_rows_of_spec_3(level):
    rule = MONOPOLY.level(level)
    assert [c.describe() for c in rule.criteria] == MONOPOLY_ROWS[level]
    assert rule.manual, "manual items are listed for reviewers"


def test_granted_monopoly_levels_go_through_committee_and_notice():
    assert MONOPOLY.route == ("committee", "notice")
