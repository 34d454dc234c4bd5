"""The kinds of job the worker can run: a name, a Chinese label and the function behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    func: Callable[..., Any]


_KINDS: dict[str, JobKind] = {}


def register(name: str, label: str) -> Callable:
    """Register `func(*, actor, progress, **args) -> result` as the job kind `name`."""

    def decorator(func: Callable) -> Callable:
        existing = _KINDS.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"后台任务类别 {name} 已登记为 {existing.func.__module__}.{existing.func.__name__}")
        _KINDS[name] = JobKind(name, label, func)
        return func

    return decorator


def kind_named(name: str) -> JobKind | None:
    return _KINDS.get(name)


def registered_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
