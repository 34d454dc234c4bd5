"""Reads of the favour lists: those of units in the reader's subtree."""

from jinjie.org import authority
from jinjie.org.scoping import visible_org_units

from ..models import FavourEntry, FavourList


def favour_lists_for(*, user):
    if not authority.allows(user, "favour.read"):
        return FavourList.objects.none()
    return FavourList.objects.filter(org_unit__in=visible_org_units(user)).select_related(
        "org_unit", "drawn_by", "frozen_by", "rulebook"
    )


def favour_list_get(*, user, pk: int) -> FavourList | None:
    return favour_lists_for(user=user).filter(pk=pk).first()


def favour_entries(*, favour_list: FavourList):
    return FavourEntry.objects.filter(favour_list=favour_list).order_by("line")
