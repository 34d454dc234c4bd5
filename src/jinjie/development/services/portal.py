"""职业发展中心 pages: every save is a new revision (the old ones stay readable)."""

import re
from datetime import date

from django.db import transaction

from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.org.models import OrgUnit

from ..markdown import MAX_BODY, render_markdown
from ..models import PortalPage, PortalRevision
from ._text import a_date, required_text

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


@transaction.atomic
def portal_page_save(
    *, actor, title: str, body: str, effective_from: date | str, slug: str = "", page: PortalPage | None = None,
    org_unit: OrgUnit | None = None, position: int = 0,
) -> PortalRevision:
    """Create a page (slug + unit) or add a revision to `page`; the Markdown is rendered and
    sanitised once, here, so a page view never renders it again."""
    title = required_text(title, "标题", 100)
    body = required_text(body, "正文", MAX_BODY)
    effective = a_date(effective_from, "生效日期")
    if page is None:
        if org_unit is None:
            raise DomainError("请选择适用单位")
        authority.require(actor, "portal.edit", org_unit)
        slug = (slug or "").strip().lower()
        if not SLUG.match(slug):
            raise DomainError("页面地址只能用小写字母、数字和连字符（-），最多 50 个字符，例如 promotion-policy")
        if PortalPage.objects.filter(slug=slug).exists():
            raise DomainError(f"页面地址“{slug}”已被使用")
        page = PortalPage.objects.create(slug=slug, org_unit=org_unit, position=max(0, min(int(position or 0), 999)))
    else:
        page = PortalPage.objects.select_for_update().select_related("org_unit").get(pk=page.pk)
        authority.require(actor, "portal.edit", page.org_unit)
    last = page.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return PortalRevision.objects.create(
        page=page, number=last + 1, title=title, body=body, html=render_markdown(body), effective_from=effective,
        saved_by=actor,
    )
