"""An org path as people type it names the stored unit (commands, exports, API, imports)."""

import pytest

from jinjie.org.models import OrgUnit
from jinjie.org.selectors import normalize_org_path, org_unit_at

pytestmark = pytest.mark.django_db


def test_spaces_and_outer_slashes_are_ignored():
    assert normalize_org_path(" 东海省局 / 临江市局 /青山县局/ ") == "东海省局/临江市局/青山县局"


def test_a_typed_path_finds_its_unit_and_an_unknown_one_finds_none():
    city = OrgUnit.objects.create(name="临江市局", parent=OrgUnit.objects.create(name="东海省局"))
    assert org_unit_at("/东海省局 / 临江市局") == city
    assert org_unit_at("东海省局/别的市局") is None
    assert org_unit_at("") is None and org_unit_at(None) is None and org_unit_at(" / ") is None
