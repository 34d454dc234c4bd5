"""Where a report looks: a unit of the user's subtree, split into the groups its charts compare.

"Per unit" means the units directly under the chosen one, each with its whole subtree (a city's
report compares its counties; a county's, its 营销部 …), plus "本级" for the people who work in the
chosen unit itself — shown only when there are any. A unit without units below it is one group.

Every report starts here: the user must hold `reports.read` over the unit (org.authority), so a
report never reads outside the user's subtree. The selectors then filter their rows to the
unit ids of the scope — a short list, the org tree being tens or hundreds of units, not people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinjie.org import authority
from jinjie.org.models import PATH_SEP, OrgUnit, User

__all__ = ["Group", "Scope", "report_scope"]


@dataclass(frozen=True)
class Group:
    label: str
    unit: OrgUnit
    own: bool = False  # only the people of the unit itself (本级), not its subtree


@dataclass(frozen=True)
class Scope:
    unit: OrgUnit
    groups: tuple[Group, ...]
    unit_ids: tuple[int, ...]  # the chosen unit and every unit below it
    _group_of: dict[int, int] = field(repr=False)

    def group_of(self, org_unit_id: int) -> int | None:
        """Index in `groups` of the group a unit's people are counted in (None: outside the scope)."""
        return self._group_of.get(org_unit_id)

    def shown(self, present: set[int]) -> list[int]:
        """The groups a chart shows: every unit below, and 本级 only when it has data."""
        return [i for i, g in enumerate(self.groups) if not g.own or i in present or len(self.groups) == 1]


def report_scope(*, user: User, unit: OrgUnit, action: str = "reports.read") -> Scope:
    """The scope of a report over `unit` for `user`; NotPermitted (Chinese) outside their subtree."""
    authority.require(user, action, unit)
    # Units in the order they were created (an import writes parents first, in the file's order),
    # which keeps a bureau's own order of its counties; the path would sort them by character code.
    units = list(OrgUnit.objects.filter(unit.subtree_filter()).order_by("pk").only("pk", "name", "path", "parent_id"))
    children = [u for u in units if u.parent_id == unit.pk]
    groups: list[Group] = [Group(c.name, c) for c in children]
    if children:
        groups.append(Group(f"{unit.name}（本级）", unit, own=True))
    else:
        groups.append(Group(unit.name, unit, own=True))
    index_of_child = {c.path: i for i, c in enumerate(children)}
    group_of: dict[int, int] = {}
    for u in units:
        if u.pk == unit.pk:
            group_of[u.pk] = len(groups) - 1
            continue
        # The child of `unit` on the way down to `u` is the first segment below unit's path.
        below = u.path[len(unit.path) + 1 :].split(PATH_SEP, 1)[0]
        group_of[u.pk] = index_of_child[f"{unit.path}{PATH_SEP}{below}"]
    return Scope(unit, tuple(groups), tuple(u.pk for u in units), group_of)
