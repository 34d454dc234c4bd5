"""Data scoping: the one place that decides which rows a user may see (SPEC 1).

Every selector that reads employees or their records goes through these functions. A user works
inside their org subtree; an employee-role user sees only their own employee; a superuser sees all.
A user with neither an org unit nor superuser status sees nothing.
"""

from django.db import models

from .models import OrgUnit, Role, User


def sees_everything(user: User) -> bool:
    return bool(user.is_superuser)


def visible_org_units(user: User) -> models.QuerySet[OrgUnit]:
    units = OrgUnit.objects.all()
    if sees_everything(user):
        return units
    if user.role == Role.EMPLOYEE or user.org_unit_id is None:
        if user.role == Role.EMPLOYEE and user.employee_id:
            return units.filter(pk=user.employee.org_unit_id)
        return units.none()
    return units.filter(user.org_unit.subtree_filter())


def scope_employees(user: User, queryset: models.QuerySet, prefix: str = "") -> models.QuerySet:
    """Restrict a queryset of employees (or, with `prefix='employee__'`, of their records)."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role == Role.EMPLOYEE:
        if not user.employee_id:
            return queryset.none()
        return queryset.filter(**{f"{prefix}pk" if not prefix else f"{prefix}id": user.employee_id})
    if user.org_unit_id is None:
        return queryset.none()
    return queryset.filter(user.org_unit.subtree_filter(prefix=f"{prefix}org_unit__"))


def can_see_org_unit(user: User, unit: OrgUnit) -> bool:
    if sees_everything(user):
        return True
    if user.org_unit_id is None or user.role == Role.EMPLOYEE:
        return False
    return user.org_unit.contains(unit)
