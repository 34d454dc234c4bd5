"""The admin speaks Chinese: every app's heading, and the help under the fields it lets one edit."""

import re

import pytest
from bureau import make_employee, make_tree
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from jinjie.org.models import User
from jinjie.people.models import Employee, RecordRevision

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
HELP = re.compile(r'<div class="help"[^>]*>\s*(?:<div>)?(.*?)</div>', re.S)


@pytest.fixture
def root(client):
    client.force_login(User.objects.create_superuser("root", password="x-secret-pw"))
    return client


def test_every_app_of_ours_has_a_chinese_name():
    ours = [a for a in apps.get_app_configs() if a.name.startswith("jinjie.")]
    assert len(ours) >= 12
    assert [a.label for a in ours if not CJK.search(str(a.verbose_name))] == []


def test_the_admin_index_names_every_app_in_chinese(root):
    page = root.get(reverse("admin:index")).content.decode()
    headings = re.findall(r'<caption>\s*<a[^>]*>(.*?)</a>', page, re.S)
    assert len(headings) >= 5
    assert [h for h in headings if not CJK.search(h)] == []
    for english in ("Org", "People", "Assessments", "Rulebooks"):
        assert f">{english}<" not in page


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label in (
    "org", "people", "assessments", "rulebooks")], ids=lambda m: m._meta.label)
def test_each_add_form_explains_its_fields_in_chinese(root, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = root.get(url)
    if response.status_code == 403:  # history and rule books are read-only here
        return
    assert response.status_code == 200
    helps = [re.sub(r"<[^>]+>", "", h).strip() for h in HELP.findall(response.content.decode())]
    assert [h for h in helps if h and not CJK.search(h)] == [], model._meta.label
    if model is Employee:
        assert len(helps) >= 6 and any("数字越小档次越高" in h for h in helps)


def test_the_data_revisions_name_the_import_kind_in_chinese(root):
    tree = make_tree()
    RecordRevision.objects.create(kind="employees", record_key="A001", employee=make_employee(tree["county_a"], "A001", "张三"),
                                  old_values={}, new_values={}, source="导入")
    page = root.get(reverse("admin:people_recordrevision_changelist")).content.decode()
    assert "员工" in page and ">employees<" not in page
