"""Writes on employees that are not imports."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jinjie.org.models import Role
from jinjie.org.scoping import scope_employees

from .models import Employee, PiiAccessLog

# Who may read a full ID number: HR, for employees inside their subtree.
PII_READERS = {Role.HR}


@transaction.atomic
def employee_reveal_id_number(*, user, employee: Employee, purpose: str = "") -> str:
    """Return the full 身份证号 and log who read it; refuse anyone but HR within their scope."""
    if not (user.is_superuser or user.role in PII_READERS):
        raise PermissionDenied("只有人事劳资可以查看完整身份证号")
    if not scope_employees(user, Employee.objects.filter(pk=employee.pk)).exists():
        raise PermissionDenied("该员工不在您的管理范围内")
    PiiAccessLog.objects.create(user=user, employee=employee, field="id_number", purpose=purpose)
    return employee.id_number
