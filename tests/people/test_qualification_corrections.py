"""A granted 专卖管理员 level is never edited (SPEC 3.1): a wrong date is corrected by a new record
with a reason, which is the level in force from then on; a re-import never changes a granted level."""

from datetime import date

import pytest
from bureau import make_employee, make_tree, make_user
from django.db import IntegrityError, connection, transaction

from jinjie.core.append_only import AppendOnlyError
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.qualify import load_monopoly_facts
from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import Role
from jinjie.people.models import Qualification
from jinjie.people.services import QualificationError, qualification_correct

pytestmark = pytest.mark.django_db

HEADER = "工号,等级,取得日期\r\n"


@pytest.fixture
def world():
    tree = make_tree()
    emp = make_employee(tree["county_a"], "M001", "专管甲", track="专卖管理员", current_rank="初级专卖管理员")
    granted = Qualification.objects.create(employee=emp, level="初级专卖管理员", granted_date=date(2023, 5, 1))
    return {
        "tree": tree, "emp": emp, "granted": granted,
        "hr": make_user("hr", Role.HR, tree["city_a"]),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
        "committee": make_user("committee", Role.COMMITTEE, tree["city_a"]),
    }


def test_a_granted_level_is_never_edited_nor_deleted(world):
    granted = world["granted"]
    granted.granted_date = date(2023, 6, 1)
    with pytest.raises(AppendOnlyError):
        granted.save()
    with pytest.raises(AppendOnlyError):
        Qualification.objects.filter(pk=granted.pk).update(granted_date=date(2023, 6, 1))
    # Not even from raw SQL: the database's trigger refuses it.
    with pytest.raises(Exception, match="历史记录只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE people_qualification SET granted_date = '2023-06-01'")
    assert Qualification.objects.get().granted_date == date(2023, 5, 1)


def test_a_correction_is_a_new_record_with_its_reason_and_becomes_the_level_in_force(world):
    fixed = qualification_correct(
        actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 7, 1), reason="录入有误，以发文日期为准"
    )
    assert (fixed.corrects_id, fixed.reason, fixed.recorded_by) == (world["granted"].pk, "录入有误，以发文日期为准", world["hr"])
    # Both records stay; the readers see the one in force.
    assert Qualification.history.count() == 2
    assert list(Qualification.objects.values_list("level", "granted_date")) == [("初级专卖管理员", date(2023, 7, 1))]
    assert list(world["emp"].qualifications.values_list("granted_date", flat=True)) == [date(2023, 7, 1)]
    _, facts = load_monopoly_facts(employee_id=world["emp"].pk)[world["emp"].pk]
    assert facts.qualifications == {"初级专卖管理员": date(2023, 7, 1)}


def test_a_corrected_record_cannot_be_corrected_again_nor_without_a_reason(world):
    with pytest.raises(QualificationError, match="请填写更正原因"):
        qualification_correct(actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 7, 1), reason=" ")
    with pytest.raises(QualificationError, match="无需更正"):
        qualification_correct(actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 5, 1), reason="核对")
    qualification_correct(actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 7, 1), reason="核对")
    with pytest.raises(QualificationError, match="已被更正"):
        qualification_correct(actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 8, 1), reason="再改")
    assert Qualification.history.count() == 2
    # The database holds it too: one correction per record, and a correction names its reason.
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(employee=world["emp"], level="初级专卖管理员", granted_date=date(2023, 9, 1),
                                     corrects=world["granted"], reason="绕过服务")
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(employee=world["emp"], level="初级专卖管理员", granted_date=date(2023, 9, 1))


def test_only_hr_of_the_employees_unit_corrects(world):
    for actor in (world["committee"], world["hr_b"]):
        with pytest.raises(NotPermitted):
            qualification_correct(actor=actor, qualification=world["granted"], granted_date=date(2023, 7, 1), reason="改")
    assert Qualification.history.count() == 1


def _upload(rows: str):
    import io

    return io.BytesIO(("\ufeff" + HEADER + rows).encode("utf-8"))


def test_a_reimport_with_another_date_is_refused_and_says_how_to_correct(world):
    result = import_file(kind="qualifications", path_or_fileobj=_upload("M001,初级专卖管理员,2023-06-01\r\n"), filename="q.csv")
    assert not result.ok
    (error,) = result.errors
    assert "不可修改" in error.reason and "更正" in error.reason
    assert Qualification.history.count() == 1


def test_a_reimport_of_the_same_grant_is_unchanged_and_a_new_level_is_added(world):
    rows = "M001,初级专卖管理员,2023-05-01\r\nM001,中级专卖管理员,2025-06-01\r\n"
    result = import_file(kind="qualifications", path_or_fileobj=_upload(rows), filename="q.csv")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert Qualification.history.count() == 2


def test_the_export_lists_the_levels_in_force_once(world, tmp_path):
    qualification_correct(actor=world["hr"], qualification=world["granted"], granted_date=date(2023, 7, 1), reason="核对")
    path = tmp_path / "q.csv"
    assert export_kind(kind="qualifications", path=path) == 1
    assert "2023-07-01" in path.read_text(encoding="utf-8-sig")
    # … and it imports back unchanged.
    result = import_file(kind="qualifications", path_or_fileobj=path)
    assert (result.ok, result.unchanged) == (True, 1)
