"""The 竞聘 bureau's fixtures (tests/selection_world.py), for every test of this folder."""

from selection_world import (  # noqa: F401 - fixtures
    CLOSED_DAY,
    DEADLINE,
    OPEN_DAY,
    SCORES,
    _media,
    add_violation,
    advance,
    api_for,
    apply,
    client_for,
    draft,
    posts,
    published,
    today,
    world,
)
