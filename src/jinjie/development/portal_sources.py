"""The portal's generated sections from the other channels (SPEC 5: open selections with their
eligibility and window, open application rounds).

This app sits above the 申报 (applications) and 竞聘 (selections) channels, so a provider here
reads their selectors: the open application rounds are built in below. The selections channel's
provider is registered the same way when it is merged (`register("selections", title, provider)`,
from this module or from the web layer). A provider takes the user and returns a list of dicts
{title, url, window, note}, already scoped.
"""

from collections.abc import Callable
from dataclasses import dataclass

SECTIONS = {"selections": "正在报名的竞聘", "rounds": "正在申报的专卖管理员等级批次"}


@dataclass(frozen=True)
class Source:
    section: str
    title: str
    items: Callable[..., list[dict]]


_SOURCES: dict[str, Source] = {}


def register(section: str, title: str, items: Callable[..., list[dict]]) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown portal section {section!r}")
    _SOURCES[section] = Source(section, title, items)


def open_rounds(user) -> list[dict]:
    """Application rounds open today that the user may see (their unit's and those above it)."""
    from django.urls import reverse

    from jinjie.applications.selectors import visible_rounds
    from jinjie.approvals import clock

    today = clock.today()
    rounds = visible_rounds(user=user).filter(opens__lte=today, closes__gte=today, closed_at__isnull=True)[:20]
    return [
        {
            "title": r.title, "url": reverse("web:round", args=[r.pk]),
            "window": f"{r.opens.isoformat()} 至 {r.closes.isoformat()}", "note": "开放等级：" + "、".join(r.levels),
        }
        for r in rounds
    ]


def generated_sections(user) -> list[dict]:
    """Each section with its items; a section no channel provides lists nothing."""
    out = []
    for section, default_title in SECTIONS.items():
        source = _SOURCES.get(section)
        out.append({
            "section": section,
            "title": source.title if source else default_title,
            "items": source.items(user) if source else [],
        })
    return out


register("rounds", SECTIONS["rounds"], open_rounds)
