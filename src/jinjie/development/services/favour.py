"""评先 / 外派学习 / 推荐干部 lists (SPEC 2.6): drawn by HR for a year, kind and unit; redrawn until
frozen (who, when); a frozen list never changes."""

from django.db import transaction
from django.utils import timezone

from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.org.models import OrgUnit

from ..favour import check_year_kind, favour_compute
from ..models import FavourEntry, FavourList


@transaction.atomic
def favour_draw(*, year, kind: str, org_unit: OrgUnit, actor) -> FavourList:
    authority.require(actor, "favour.draw", org_unit)
    year = check_year_kind(year, kind)
    book, rows = favour_compute(year=year, kind=kind, org_unit=org_unit)
    existing = FavourList.objects.select_for_update().filter(year=year, kind=kind, org_unit=org_unit).first()
    now = timezone.now()
    if existing is not None:
        if existing.frozen:
            raise DomainError(f"{year} 年{org_unit.name}的{kind}名单已冻结，不能重新生成")
        existing.entries.all().delete()
        existing.rulebook, existing.drawn_at, existing.drawn_by = book, now, actor
        existing.save(update_fields=["rulebook", "drawn_at", "drawn_by"])
        favour = existing
    else:
        favour = FavourList.objects.create(
            year=year, kind=kind, org_unit=org_unit, rulebook=book, drawn_at=now, drawn_by=actor
        )
    FavourEntry.objects.bulk_create(
        (
            FavourEntry(
                favour_list=favour, employee_id=r.employee_id, employee_no=r.employee_no, name=r.name,
                org_unit=r.org_unit, track=r.track, rank=r.rank, avg=r.avg, bonus=r.bonus, score=r.score,
                position=r.position, excluded=r.excluded, line=i,
            )
            for i, r in enumerate(rows, start=1)
        ),
        batch_size=2000,
    )
    return favour


@transaction.atomic
def favour_freeze(*, favour_list: FavourList, actor) -> FavourList:
    favour = FavourList.objects.select_for_update().select_related("org_unit").get(pk=favour_list.pk)
    authority.require(actor, "favour.freeze", favour.org_unit)
    if favour.frozen:
        raise DomainError("该名单已冻结")
    favour.frozen_at, favour.frozen_by = timezone.now(), actor
    favour.save(update_fields=["frozen_at", "frozen_by"])
    return favour
