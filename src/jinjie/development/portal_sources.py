"""The portal's generated sections that other channels fill (SPEC 5: open selections with their
eligibility and window, open application rounds).

The 竞聘 (selections) and 申报 (applications) channels sit above this app, so the portal cannot ask
them; each registers a provider from its AppConfig.ready():

    from jinjie.development.portal_sources import register
    register("selections", "正在报名的竞聘", open_selections_for_portal)

A provider takes the user and returns a list of dicts {title, url, window, note}, already scoped.
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
