import pytest

from jinjie.people.idcard import checksum_char, id_number_error, mask_id_number

VALID = "11010519491231002X"  # the GB 11643-1999 example


def test_a_valid_number_passes_including_an_x_checksum():
    assert id_number_error(VALID) is None
    assert id_number_error(VALID.lower()) is None


def test_the_checksum_is_computed_from_the_first_17_digits():
    assert checksum_char(VALID[:17]) == "X"
    assert checksum_char("44052418800101001") == "4"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "18 位"),
        ("1101051949123100AX", "前 17 位应为数字"),
        ("110105194913310029", "出生日期无效"),
    ],
)
def test_invalid_numbers_are_refused_with_a_chinese_reason(value, reason):
    assert reason in id_number_error(value)


def test_numbers_are_shown_masked():
    assert mask_id_number(VALID) == "110105********002X"
    assert mask_id_number("") == ""
