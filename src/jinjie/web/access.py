"""Who may open which page, and the scoped lookups every view uses.

Role rights follow SPEC 1. Data scoping is never decided here: reads go through org.scoping, so an
object outside the user's subtree is simply not found (404), while a page the role may not use at
all is refused (403). Keeping the two apart means a 403 never confirms that another unit's object
exists.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from jinjie.org.models import OrgUnit, Role, User
from jinjie.org.scoping import can_see_org_unit, scope_employees, visible_org_units

# The pages of the web application and the roles that use them (SPEC 1).
COMMITTEE_LIKE = (Role.COMMITTEE,)
RUNS_EVALUATIONS = (Role.COMMITTEE, Role.HR)
READS_PROPOSALS = (Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR, Role.EMPLOYEE)
LISTS_PROPOSALS = (Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR)
READS_EMPLOYEES = (Role.HR, Role.COMMITTEE)
READS_OBJECTIONS = (Role.COMMITTEE, Role.DISCIPLINE)
EDITS_RULEBOOKS = (Role.HR,)
IMPORTS = (Role.HR, Role.ASSESSOR)
# The assessment centre enters scores, ability scores, violations and contributions (SPEC 1); the
# rest of the master data is HR's.
IMPORT_KINDS_BY_ROLE = {
    Role.HR: None,  # every kind
    Role.ASSESSOR: ("scores", "ability", "violations", "contributions"),
}


def role_of(user: User) -> str:
    return user.role


def has_role(user: User, roles: Iterable[str]) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in tuple(roles))


def role_required(*roles: str) -> Callable:
    """Login first (anonymous → login page), then the role (others → 403). No roles: any login."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if roles and not has_role(request.user, roles):
                raise PermissionDenied("您的角色无权使用此页面")
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def scoped_get(user: User, queryset: models.QuerySet, *, prefix: str = "employee__", **lookup):
    """One object of an employee-owned queryset, or 404 if it is outside the user's scope."""
    obj = scope_employees(user, queryset, prefix=prefix).filter(**lookup).first()
    if obj is None:
        raise Http404("没有找到该记录，或不在您的数据范围内")
    return obj


def scoped_unit(user: User, pk) -> OrgUnit:
    unit = visible_org_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404("没有找到该单位，或不在您的数据范围内")
    return unit


def unit_visible(user: User, unit: OrgUnit) -> bool:
    if user.role == Role.EMPLOYEE:
        return bool(user.employee_id) and _employee_in_unit(user, unit)
    return can_see_org_unit(user, unit)


def _employee_in_unit(user: User, unit: OrgUnit) -> bool:
    path = user.employee.org_unit.path
    return path == unit.path or path.startswith(unit.path + "/")
