"""to_halfwidth: what a Chinese keyboard types in full-width mode, read as the ASCII keys are stored in."""

import pytest

from jinjie.core.text import to_halfwidth


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("２０２６-１１", "2026-11"),
        ("２０２６－１１", "2026-11"),
        ("２０２６－０７－０１", "2026-07-01"),
        ("２０２６Ｑ３", "2026Q3"),
        ("２０２６ｑ３", "2026q3"),
        ("ＬＪ０００００１", "LJ000001"),
        ("ｌｊ＿００１", "lj_001"),
        ("８５．５", "85.5"),
        ("２０２６／７／１　８：３０", "2026/7/1 8:30"),
        ("2026\u221211", "2026-11"),  # minus sign
        ("2026\u201311", "2026-11"),  # en dash
        ("2026\ufe6311", "2026-11"),  # small hyphen-minus
    ],
)
def test_full_width_keys_become_ascii(typed, stored):
    assert to_halfwidth(typed) == stored


@pytest.mark.parametrize("text", ["张三", "某市局（分局）", "县局·营销部", "一、二。", "①㈠", "破折号——", "ｶﾀｶﾅ", "LJ000001"])
def test_chinese_text_and_other_symbols_are_untouched(text):
    assert to_halfwidth(text) == text


def test_a_mixed_text_changes_only_the_full_width_forms():
    assert to_halfwidth("（公司）ＬＪ０１张三") == "（公司）LJ01张三"
