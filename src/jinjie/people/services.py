"""Writes on employees that are not imports."""

from datetime import date

from django.db import IntegrityError, transaction

from jinjie.core.errors import DomainError
from jinjie.org import authority

from .models import Employee, PiiAccessLog, Qualification


@transaction.atomic
def employee_reveal_id_number(*, user, employee: Employee, purpose: str = "") -> str:
    """Return the full 身份证号 and log who read it (employees.reveal_id: HR, within their scope)."""
    authority.require(user, "employees.reveal_id", employee)
    PiiAccessLog.objects.create(user=user, employee=employee, field="id_number", purpose=purpose)
    return employee.id_number


class QualificationError(DomainError):
    """A refused correction of a granted level (Chinese message; nothing written)."""


@transaction.atomic
def qualification_correct(*, actor, qualification: Qualification | int, granted_date: date, reason: str) -> Qualification:
    """Correct a granted level's date: a new row naming the one it corrects and why (SPEC 3.1).

    The corrected row is never changed; from now on the new row is the level in force. Only the
    row in force can be corrected, once: a second correction of the same row (two HR clerks at
    once) is refused by the database's unique `corrects`, whatever the database.
    """
    reason = (reason or "").strip()
    if not reason:
        raise QualificationError("请填写更正原因")
    if len(reason) > 300:
        raise QualificationError("更正原因不能超过 300 字")
    pk = qualification if isinstance(qualification, int) and not isinstance(qualification, bool) else getattr(qualification, "pk", None)
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        raise QualificationError("该资格记录不存在")
    current = Qualification.history.select_related("employee", "employee__org_unit").filter(pk=pk).first()
    if current is None:
        raise QualificationError("该资格记录不存在")
    authority.require(actor, "qualifications.correct", current.employee)
    if not isinstance(granted_date, date) or granted_date.year < 1950 or granted_date.year > 2100:
        raise QualificationError("请填写正确的取得日期")
    if Qualification.history.filter(corrects=current).exists():
        raise QualificationError(f"{current.level}（{current.granted_date}）已被更正，请刷新后对现行记录办理")
    if granted_date == current.granted_date:
        raise QualificationError(f"取得日期与现行记录相同（{granted_date}），无需更正")
    try:
        with transaction.atomic():
            return Qualification.objects.create(
                employee=current.employee, level=current.level, granted_date=granted_date, corrects=current,
                reason=reason, recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise QualificationError(f"{current.level} 刚刚已由他人更正，请刷新后再看") from None
