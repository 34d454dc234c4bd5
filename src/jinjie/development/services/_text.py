"""Small input checks shared by the services: every refusal a Chinese sentence, nothing written."""

from datetime import date

from jinjie.core.errors import DomainError


def _clean(value, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    # PostgreSQL text holds no NUL; a control character in a name or a note is never meant.
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise DomainError(f"{label}含有无效的控制字符")
    return text


def required_text(value, label: str, limit: int) -> str:
    text = _clean(value, label)
    if not text:
        raise DomainError(f"请填写{label}")
    if len(text) > limit:
        raise DomainError(f"{label}最多 {limit} 个字")
    return text


def optional_text(value, label: str, limit: int) -> str:
    text = _clean(value, label)
    if len(text) > limit:
        raise DomainError(f"{label}最多 {limit} 个字")
    return text


def a_date(value, label: str, *, required: bool = True) -> date | None:
    if value is None or value == "":
        if required:
            raise DomainError(f"请填写{label}")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"{label}格式应为 YYYY-MM-DD") from None
