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


def holds_every_employee(unit: OrgUnit) -> bool:
    """True when no employee works outside `unit`'s subtree: scoping to it then selects every row.

    Two small queries: the units outside the subtree (the org tree, hundreds of rows), then one
    probe of the employees' unit index for them. (As one join, PostgreSQL planned a scan of every
    employee: 40 ms at 100,000.) Not cached: an employee hired outside counts at once."""
    # The employees through the reverse relation: org sits below people in the layers.
    employees = OrgUnit._meta.get_field("employees").related_model.objects
    outside = list(OrgUnit.objects.exclude(unit.subtree_filter()).values_list("pk", flat=True))
    return not outside or not employees.filter(org_unit_id__in=outside).exists()


def scope_is_everyone(user: User) -> bool:
    """Whether `scope_employees(user, …)` leaves a queryset of employees' rows unfiltered: a
    selector may then drop a subquery over the scoped rows (e.g. "objections on proposals I may
    read"), which PostgreSQL would otherwise evaluate over every proposal."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    if user.role == Role.EMPLOYEE or user.org_unit_id is None:
        return False
    return holds_every_employee(user.org_unit)


def _nullable(model, prefix: str) -> bool:
    """Whether the relation `prefix` leads through ('employee__', 'mentee__') may be empty: a row
    without an employee is never in a scope, with or without the filter."""
    for name in filter(None, prefix.split("__")):
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model
    return False


def scope_employees(user: User, queryset: models.QuerySet, prefix: str = "") -> models.QuerySet:
    """Restrict a queryset of employees (or, with `prefix='employee__'`, of their records).

    A user whose subtree holds every employee (the bureau's committee, HR …) gets the queryset
    without the filter, which then selects the same rows: at 100,000 employees the filter costs a
    look-up of the employee and their unit per row, which counting a list (共 N 条) pays for every
    row of the period, and without it that count reads an index alone."""
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
    if holds_every_employee(user.org_unit):
        return queryset if not _nullable(queryset.model, prefix) else queryset.filter(**{f"{prefix}isnull": False})
    return queryset.filter(user.org_unit.subtree_filter(prefix=f"{prefix}org_unit__"))


def can_see_org_unit(user: User, unit: OrgUnit) -> bool:
    if sees_everything(user):
        return True
    if user.org_unit_id is None or user.role == Role.EMPLOYEE:
        return False
    return user.org_unit.contains(unit)
