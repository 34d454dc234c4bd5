"""数据导入 offers the org_units kind (单位) to HR, from the KINDS registry, and not to the assessors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinjie.org.models import OrgUnit, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_hr_sees_org_units_and_previews_a_units_file(client_for, staff):
    client = client_for(Role.HR)
    page = client.get(reverse("web:imports")).content.decode()
    assert 'value="org_units"' in page and "单位路径" in page
    file = SimpleUploadedFile("units.csv", "单位路径,类型\n某省公司/甲市局/新设营销部,县局·营销部\n".encode("gbk"))
    preview = client.post(reverse("web:imports"), {"kind": "org_units", "file": file})
    assert 'id="import-preview"' in preview.content.decode()
    client.post(reverse("web:import_confirm"), {"token": preview.context["token"]})
    assert OrgUnit.objects.get(path="某省公司/甲市局/新设营销部").kind == "county"


def test_the_assessment_centre_is_not_offered_org_units(client_for, staff):
    page = client_for(Role.ASSESSOR).get(reverse("web:imports")).content.decode()
    assert 'value="scores"' in page and 'value="org_units"' not in page
