"""/api/imports/org_units/: the units file through the API, picked up from the KINDS registry."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jinjie.org.models import OrgUnit, Role

pytestmark = pytest.mark.django_db

UNITS_CSV = "单位路径,类型,编码\n某省公司/甲市局/新设营销部,县局·营销部,3301-09\n"


def upload(client, content, query=""):
    file = SimpleUploadedFile("units.csv", content.encode("gbk"))  # as Chinese Excel saves it
    return client.post(f"/api/imports/org_units/{query}", {"file": file}, format="multipart")


def test_hr_imports_org_units_inside_their_subtree(client_for, staff):
    dry = upload(client_for(Role.HR), UNITS_CSV, query="?dry_run=1")
    assert (dry.status_code, dry.data["created"]) == (200, 1), dry.data
    response = upload(client_for(Role.HR), UNITS_CSV)
    assert response.status_code == 201, response.data
    unit = OrgUnit.objects.get(path="某省公司/甲市局/新设营销部")
    assert (unit.kind, unit.code, unit.parent.path) == ("county", "3301-09", "某省公司/甲市局")


def test_a_unit_outside_the_subtree_is_a_row_error(client_for, staff):
    response = upload(client_for(Role.HR), "单位路径,类型\n某省公司/乙市局/新设营销部,县局·营销部\n")
    assert response.status_code == 400
    assert [(e["row"], e["reason"]) for e in response.data["errors"]] == [(2, "该单位不在您的管理范围内（某省公司/甲市局）")]
    assert not OrgUnit.objects.filter(name="新设营销部").exists()


def test_the_assessment_centre_may_not_import_org_units(client_for, staff):
    assert upload(client_for(Role.ASSESSOR), UNITS_CSV).status_code == 403
    assert not OrgUnit.objects.filter(name="新设营销部").exists()
