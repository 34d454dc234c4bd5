"""Reads on the org tree shared by the command line, the exports, the API and the imports."""

from django.db.models import Q

from jinjie.core.errors import DomainError

from .authority import allows
from .models import PATH_SEP, OrgUnit, Role, User


def normalize_org_path(path: str) -> str:
    """What people type → the stored form: " 省公司 / 市局 /县局/" → "省公司/市局/县局"."""
    return PATH_SEP.join(part.strip() for part in path.strip().strip(PATH_SEP).split(PATH_SEP))


def org_unit_at(path: str | None) -> OrgUnit | None:
    """The unit named by its full path, or None when there is none (or no path was given)."""
    if not path or not normalize_org_path(path):
        return None
    return OrgUnit.objects.filter(path=normalize_org_path(path)).first()


def subtree_at(path: str, *, prefix: str = "org_unit__") -> Q:
    """Rows in the unit named by `path` or below it (OrgUnit.subtree_filter); an unknown path
    simply matches nothing."""
    unit = org_unit_at(path)
    return unit.subtree_filter(prefix=prefix) if unit is not None else Q(pk__in=[])


class UnknownOrgUnit(DomainError):
    pass


def org_unit_by_path(path: str | OrgUnit | None) -> OrgUnit | None:
    """The unit named by its path ("省公司/市局/县局"); None for None/""; UnknownOrgUnit (a DomainError) if unknown.

    A unit already looked up is passed through, so callers may hand over either.
    """
    if isinstance(path, OrgUnit):
        return path
    if not path:
        return None
    unit = org_unit_at(path)
    if unit is None:
        raise UnknownOrgUnit(f"没有找到单位“{normalize_org_path(path)}”（请写完整路径，例如 某省公司/某市局/某县局）")
    return unit


def logins_for(*, viewer, unit: OrgUnit | None = None, q: str = ""):
    """The logins `viewer` manages: every one for a superuser; for HR (users.manage) the logins of
    employees inside their subtree (staff logins are the superusers'). Newest units first."""
    qs = User.objects.select_related("employee", "employee__org_unit", "org_unit").order_by("username")
    if not viewer.is_superuser:
        if not allows(viewer, "users.manage") or viewer.org_unit_id is None:
            return qs.none()
        qs = qs.filter(role=Role.EMPLOYEE, is_superuser=False, is_staff=False, employee__isnull=False)
        qs = qs.filter(viewer.org_unit.subtree_filter(prefix="employee__org_unit__"))
    if unit is not None:
        qs = qs.filter(unit.subtree_filter(prefix="employee__org_unit__") | unit.subtree_filter(prefix="org_unit__"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(employee__name__icontains=q))
    return qs
