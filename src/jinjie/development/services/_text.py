"""Small input checks shared by the services: every refusal a Chinese sentence, nothing written."""

from datetime import date

from jinjie.core.errors import DomainError


def required_text(value, label: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(f"请填写{label}")
    if len(text) > limit:
        raise DomainError(f"{label}最多 {limit} 个字")
    return text


def optional_text(value, label: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
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
