"""Chinese resident ID numbers (GB 11643-1999): 18 characters, the last a checksum."""

from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def checksum_char(first17: str) -> str:
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"checksum_char needs 17 digits, got {len(first17)}")
    # map/mul rather than a generator: an import checks one number per employee row
    return _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def id_number_error(value: str) -> str | None:
    """None if `value` is a valid 18-digit ID number, else the reason in Chinese."""
    v = value.strip().upper()
    if len(v) != 18:
        return "身份证号应为 18 位"
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return "身份证号前 17 位应为数字，最后一位为数字或 X"
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if checksum_char(v[:17]) != v[17]:
        return "身份证号校验位不正确"
    return None


def mask_id_number(value: str) -> str:
    """Shown everywhere except the logged reveal: region and checksum only (110105********123X)."""
    if not value:
        return ""
    return value[:6] + "*" * 8 + value[-4:] if len(value) == 18 else "*" * len(value)
