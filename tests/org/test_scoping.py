"""Nobody reads data outside their org subtree; an employee sees only their own record (SPEC 1)."""

from datetime import date

import pytest

from jinjie.core.errors import NotPermitted
from jinjie.org.models import OrgUnit, Role, User
from jinjie.org.scoping import can_see_org_unit, scope_employees, visible_org_units
from jinjie.people.models import Employee, PiiAccessLog
from jinjie.people.services import employee_reveal_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = OrgUnit.objects.create(name="东海省局", kind="province")
    city = OrgUnit.objects.create(name="临江市局", parent=province, kind="city")
    county = OrgUnit.objects.create(name="青山县局", parent=city)
    # A sibling whose name starts like the city's must not leak into the city's subtree.
    lookalike = OrgUnit.objects.create(name="临江市局二", parent=province, kind="city")
    return province, city, county, lookalike


def make_employee(no, unit):
    return Employee.objects.create(employee_no=no, name=no, org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1))


def test_paths_follow_the_tree_and_move_with_a_rename(tree):
    province, city, county, _ = tree
    assert county.path == "东海省局/临江市局/青山县局"
    city.name = "临江市烟草专卖局"
    city.save()
    county.refresh_from_db()
    assert county.path == "东海省局/临江市烟草专卖局/青山县局"


def test_a_user_sees_only_their_subtree(tree):
    province, city, county, lookalike = tree
    inside, below, outside = make_employee("A", city), make_employee("B", county), make_employee("C", lookalike)
    committee = User.objects.create(username="c", role=Role.COMMITTEE, org_unit=city)
    assert set(scope_employees(committee, Employee.objects.all())) == {inside, below}
    assert outside not in scope_employees(committee, Employee.objects.all())
    assert set(visible_org_units(committee)) == {city, county}
    assert can_see_org_unit(committee, county) and not can_see_org_unit(committee, lookalike)


def test_a_subtree_that_holds_every_employee_reads_without_the_filter_and_the_same_rows(tree):
    """The committee of a bureau whose staff all work below it: its queries leave the unit filter out
    (a list's count then reads an index alone), and the first employee hired outside is out again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jinjie.org.scoping import holds_every_employee
    from jinjie.people.models import RankChange

    province, city, county, lookalike = tree
    inside, below = make_employee("A", city), make_employee("B", county)
    committee = User.objects.create(username="c", role=Role.COMMITTEE, org_unit=city)
    assert holds_every_employee(city)
    scoped = scope_employees(committee, Employee.objects.all())
    assert set(scoped) == {inside, below}
    assert "org_orgunit" not in str(scoped.query)
    change = RankChange.objects.create(employee=inside, effective_date=date(2021, 1, 1), to_rank="初级C")
    assert list(scope_employees(committee, RankChange.objects.all(), prefix="employee__")) == [change]
    with CaptureQueriesContext(connection) as captured:
        scope_employees(committee, Employee.objects.all())
    # The check reads the org tree, then probes the employees' unit index for the units outside:
    # it never reads the employees themselves.
    assert len(captured) == 2
    assert "people_employee" not in captured.captured_queries[0]["sql"]
    assert 'WHERE "people_employee"."org_unit_id" IN' in captured.captured_queries[1]["sql"]

    outside = make_employee("C", lookalike)
    assert not holds_every_employee(city)
    assert set(scope_employees(committee, Employee.objects.all())) == {inside, below}
    assert outside not in scope_employees(committee, Employee.objects.all())
    assert not holds_every_employee(county)


def test_an_employee_sees_only_themselves(tree):
    _, city, _, _ = tree
    me, colleague = make_employee("A", city), make_employee("B", city)
    user = User.objects.create(username="a", role=Role.EMPLOYEE, org_unit=city, employee=me)
    assert list(scope_employees(user, Employee.objects.all())) == [me]
    assert colleague not in scope_employees(user, Employee.objects.all())


def test_a_user_without_a_unit_sees_nothing(tree):
    make_employee("A", tree[1])
    assert not scope_employees(User.objects.create(username="x", role=Role.HR), Employee.objects.all()).exists()


def test_only_hr_in_scope_reads_a_full_id_number_and_it_is_logged(tree):
    _, city, _, lookalike = tree
    emp = make_employee("A", city)
    emp.id_number = "11010519491231002X"
    emp.save()
    hr = User.objects.create(username="hr", role=Role.HR, org_unit=city)
    assert employee_reveal_id_number(user=hr, employee=emp, purpose="核对") == "11010519491231002X"
    assert PiiAccessLog.objects.filter(user=hr, employee=emp).count() == 1
    with pytest.raises(NotPermitted):
        employee_reveal_id_number(user=User.objects.create(username="k", role=Role.COMMITTEE, org_unit=city), employee=emp)
    with pytest.raises(NotPermitted):
        employee_reveal_id_number(user=User.objects.create(username="h2", role=Role.HR, org_unit=lookalike), employee=emp)
    assert PiiAccessLog.objects.count() == 1


def test_scope_is_everyone_exactly_when_scoping_filters_nothing(tree):
    """Selectors drop a subquery over the scoped rows when this says so (objections_for): it must
    be true only where scope_employees selects every employee."""
    from jinjie.org.scoping import scope_is_everyone

    province, city, county, lookalike = tree
    inside = make_employee("A", city)
    committee = User.objects.create(username="c", role=Role.COMMITTEE, org_unit=city)
    employee = User.objects.create(username="e", role=Role.EMPLOYEE, org_unit=city, employee=inside)
    root = User.objects.create(username="r", is_superuser=True)
    assert scope_is_everyone(committee) and scope_is_everyone(root) and not scope_is_everyone(employee)
    make_employee("C", lookalike)
    assert not scope_is_everyone(committee)
    assert scope_is_everyone(root)
    assert not scope_is_everyone(User.objects.create(username="h", role=Role.HR))  # no unit: sees nothing
