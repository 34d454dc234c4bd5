"""A management post is held from its start date until a release ends it; the record never changes."""

from datetime import date

import pytest
from bureau import make_employee, make_tree

from jinjie.core.append_only import AppendOnlyError
from jinjie.people.models import PostAssignment, PostRelease
from jinjie.people.selectors import holds_management_post, management_post_holders

pytestmark = pytest.mark.django_db


def test_a_post_is_held_from_its_start_until_its_release():
    tree = make_tree()
    emp = make_employee(tree["county_a"], "P001", "钱七")
    post = PostAssignment.objects.create(employee=emp, post="客服部主任", org_unit=tree["city_a"], start_date=date(2026, 3, 1))
    assert holds_management_post(employee_id=emp.pk, on=date(2026, 2, 28)) is None
    assert holds_management_post(employee_id=emp.pk, on=date(2026, 3, 1)) == post
    PostRelease.objects.create(assignment=post, end_date=date(2026, 9, 1), reason="调任")
    assert holds_management_post(employee_id=emp.pk, on=date(2026, 8, 31)) == post
    assert holds_management_post(employee_id=emp.pk, on=date(2026, 9, 1)) is None
    assert list(management_post_holders(on=date(2026, 5, 1))) == [post]


def test_a_post_record_is_never_edited():
    tree = make_tree()
    emp = make_employee(tree["county_a"], "P002", "孙八")
    post = PostAssignment.objects.create(employee=emp, post="订单部主任", org_unit=tree["city_a"], start_date=date(2026, 3, 1))
    post.post = "物流部主任"
    with pytest.raises(AppendOnlyError):
        post.save()
