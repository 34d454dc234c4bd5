"""The employee list's filters (工号/姓名, unit, track), read once from the query string: the list
page and its Excel export show the same employees."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jinjie.org.models import OrgUnit
from jinjie.org.scoping import scope_employees, visible_org_units
from jinjie.people.models import Employee


@dataclass
class EmployeeFilters:
    q: str
    unit: OrgUnit | None
    track: str
    employees: QuerySet[Employee]  # scoped to the user, filtered, by 工号


def employee_filters(request) -> EmployeeFilters:
    qs = scope_employees(request.user, Employee.objects.select_related("org_unit")).order_by("employee_no")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(employee_no__icontains=q) | Q(name__icontains=q))
    unit_id = request.GET.get("unit") or ""
    unit = visible_org_units(request.user).filter(pk=unit_id).first() if unit_id.isdigit() and len(unit_id) < 19 else None
    if unit is not None:
        qs = qs.filter(unit.subtree_filter(prefix="org_unit__"))
    track = request.GET.get("track") or ""
    if track:
        qs = qs.filter(track=track)
    return EmployeeFilters(q=q, unit=unit, track=track, employees=qs)
