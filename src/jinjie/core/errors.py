"""The root of every refusal the domain gives: one class, one Chinese sentence, nothing written.

Services raise a subclass of DomainError when they refuse an action; its message is the sentence a
user reads. The edges translate the three kinds once each (web/refusals.py, api/errors.py):
DomainError → 400 / a flash message, NotPermitted → 403, BatchRefused → 400 listing every item.

Plain Python on purpose: the rule engine (jinjie.rules), which imports no Django, raises
RuleBookError as a DomainError too.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. `str(error)` is the Chinese message; the service wrote nothing."""

    @property
    def message(self) -> str:
        return str(self)


class NotPermitted(DomainError):
    """Refused because of who the actor is: role, track, org scope or a conflict of interest (回避)."""


class BatchRefused(DomainError):
    """A batch refused as a whole: `errors` lists (item id, Chinese reason) for every bad item."""

    item_label = "事项"

    def __init__(self, errors: list[tuple[int, str]], *, item_label: str | None = None) -> None:
        self.errors = errors
        label = item_label or self.item_label
        lines = [f"{label} #{pk}：{message}" for pk, message in errors]
        super().__init__(f"共 {len(errors)} 项不能办理，全部未处理：\n" + "\n".join(lines))
