"""Writes on employees that are not imports."""

from django.db import transaction

from jinjie.org import authority

from .models import Employee, PiiAccessLog


@transaction.atomic
def employee_reveal_id_number(*, user, employee: Employee, purpose: str = "") -> str:
    """Return the full 身份证号 and log who read it (employees.reveal_id: HR, within their scope)."""
    authority.require(user, "employees.reveal_id", employee)
    PiiAccessLog.objects.create(user=user, employee=employee, field="id_number", purpose=purpose)
    return employee.id_number
