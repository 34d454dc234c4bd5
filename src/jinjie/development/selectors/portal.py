"""Portal reads: the pages a user reads are those of their own unit and the units above it (HR also
sees those of their subtree, which they edit)."""

from django.db.models import OuterRef, Q, Subquery

from jinjie.org import authority
from jinjie.org.models import OrgUnit

from ..models import PortalPage, PortalRevision


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def home_unit(user) -> OrgUnit | None:
    if user.employee_id:
        return user.employee.org_unit
    return user.org_unit


def visible_pages(*, user):
    """Pages with their latest revision's title and update (one query)."""
    if not authority.allows(user, "portal.read"):
        return PortalPage.objects.none()
    latest = PortalRevision.objects.filter(page=OuterRef("pk")).order_by("-number")
    qs = PortalPage.objects.annotate(
        title=Subquery(latest.values("title")[:1]),
        effective_from=Subquery(latest.values("effective_from")[:1]),
        saved_at=Subquery(latest.values("saved_at")[:1]),
    ).select_related("org_unit")
    if user.is_superuser:
        return qs
    where = Q(pk__in=[])
    unit = home_unit(user)
    if unit is not None:
        where |= Q(org_unit__path__in=_ancestor_paths(unit.path))
    if authority.allows(user, "portal.edit") and user.org_unit_id:
        where |= user.org_unit.subtree_filter(prefix="org_unit__")
    return qs.filter(where)


def page_get(*, user, slug: str) -> PortalPage | None:
    return visible_pages(user=user).filter(slug=slug).first()


def page_revision(*, page: PortalPage, number: int | None = None) -> PortalRevision | None:
    qs = page.revisions.select_related("saved_by")
    if number is not None:
        return qs.filter(number=number).first()
    return qs.order_by("-number").first()


def page_history(*, page: PortalPage):
    return page.revisions.select_related("saved_by").order_by("-number").only(
        "number", "title", "effective_from", "saved_at", "saved_by__username", "saved_by__first_name",
        "saved_by__last_name", "page_id",
    )
