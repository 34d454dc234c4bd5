"""Fixtures for the interchange tests: a small org tree, employees, and file writers."""

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from jinjie.interchange.services import import_file
from jinjie.org.models import OrgKind, OrgUnit
from jinjie.people.models import Employee

COUNTY = "某省公司/某市局/某县局"


@pytest.fixture
def org(db):
    province = OrgUnit.objects.create(name="某省公司", kind=OrgKind.PROVINCE)
    city = OrgUnit.objects.create(name="某市局", kind=OrgKind.CITY, parent=province)
    county = OrgUnit.objects.create(name="某县局", kind=OrgKind.COUNTY, parent=city)
    other = OrgUnit.objects.create(name="另一市局", kind=OrgKind.CITY, parent=province)
    return {"province": province, "city": city, "county": county, "other": other}


def make_employee(org_unit, number, **fields):
    defaults = {
        "name": f"员工{number}",
        "track": "客户经理",
        "role_start_date": date(2022, 1, 1),
        "current_rank": "初级B",
        "rank_since": date(2025, 1, 1),
    }
    return Employee.objects.create(employee_no=number, org_unit=org_unit, **(defaults | fields))


@pytest.fixture
def employees(org):
    return [make_employee(org["county"], f"E{i:03d}") for i in range(1, 4)]


def _write_csv(path: Path, rows, bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def _write_xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, name="data.csv", bom=False):
        return _write_csv(tmp_path / name, rows, bom=bom)

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    def write(rows, name="data.xlsx"):
        return _write_xlsx(tmp_path / name, rows)

    return write


@pytest.fixture
def run_import():
    def run(kind, path, **options):
        return import_file(kind=kind, path_or_fileobj=path, **options)

    return run
