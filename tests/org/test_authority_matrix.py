"""The one authority, proven against the services: every right of org.authority.RIGHTS is tried as
every role (and a superuser), about an employee inside the user's scope and one outside it, by
calling the real service (authority_probes.py). Exactly the combinations the table allows pass.
Then every recused right is tried by a holder about themself (回避): refused.

The expectation is computed from the table itself, so a right whose service forgot to ask the
authority (or asks the wrong right) fails here; a right with no probe fails too.
"""

from __future__ import annotations

import pytest
from authority_probes import PROBE_TRACKS, PROBES, Refused, World, _seed_records
from bureau import make_employee, make_tree, make_user
from django.db import transaction

from jinjie.approvals import clock
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.org.authority import REVIEWED_TRACKS, RIGHTS, Reach, reviews_track
from jinjie.org.models import Role, User
from jinjie.rulebooks.services import rulebook_load_defaults

pytestmark = pytest.mark.django_db

# What a refusal for who the user is looks like when a batch reports it per item.
REFUSAL_MARKS = ("回避", "不在您的管理范围内", "您的角色", "只能", "不是", "本单位员工")


@pytest.fixture
def world(db):
    rulebook_load_defaults()
    tree = make_tree()
    inside = make_employee(tree["county_a"], "A002", "李四")
    outside = make_employee(tree["city_b"], "B001", "王五")
    for target in (inside, outside):
        _seed_records(target)
    users: dict[str, User] = {}
    for n, role in enumerate(r for r in Role if r != Role.EMPLOYEE):
        # Staff are employees too (of the 市局): their own record is never the probes' target.
        own = make_employee(tree["city_a"], f"S{n:03d}", f"职员{n}", track="专卖管理员", current_rank="见习")
        users[role] = make_user(f"u-{role}", role, tree["city_a"], employee=own,
                                track="客户经理" if role == Role.TRACK_REVIEWER else "")
    zhang = make_employee(tree["county_a"], "A001", "张三")
    users[Role.EMPLOYEE] = make_user("u-employee", Role.EMPLOYEE, tree["county_a"], employee=zhang)
    admin_self = make_employee(tree["province"], "P000", "管理员")
    users["superuser"] = make_user("u-admin", Role.HR, tree["province"], employee=admin_self, is_superuser=True,
                                   is_staff=True)
    saved = clock.today
    from datetime import date

    clock.today = lambda: date(2026, 10, 9)
    yield World(units=tree, inside=inside, outside=outside), users
    clock.today = saved


def _let_through(w: World, action: str, user: User, target) -> bool:
    """Run the probe in a savepoint that is rolled back: every call starts from the same world (and
    the probe's scene, built once per target before it)."""
    today = clock.today
    try:
        w.prepare(action, target)
        with transaction.atomic():
            try:
                PROBES[action](w, user, target)
            except Refused:
                return False
            except NotPermitted:
                return False
            except DomainError as e:
                if any(mark in str(e) for mark in REFUSAL_MARKS):
                    return False
                raise
            finally:
                transaction.set_rollback(True)
    finally:
        clock.today = today
    return True


def _expected(action: str, user: User, inside: bool, w: World, target) -> bool:
    right = RIGHTS[action]
    if not (user.role in right.roles or (user.is_superuser and not right.office)):
        return False
    if right.track_bound and not user.is_superuser and not reviews_track(user, PROBE_TRACKS.get(action, target.track)):
        return False
    if right.reach == Reach.ANYONE:
        return True
    if right.reach == Reach.MEMBER:
        # The probe's notice is of the target's city: the user must be an employee of it.
        return user.employee_id is not None and w.city_of(target).contains(user.employee.org_unit)
    return user.is_superuser or inside


def test_every_right_has_a_probe():
    missing = sorted(set(RIGHTS) - set(PROBES))
    assert not missing, f"rights without a probe: {missing}"


@pytest.mark.parametrize("action", sorted(RIGHTS))
def test_exactly_the_allowed_roles_pass_in_scope_and_nobody_outside(world, action):
    w, users = world
    wrong = []
    for key, user in users.items():
        for inside in (True, False):
            # An employee login's scope is themself: "inside" is their own record, "outside" a colleague's.
            if user.role == Role.EMPLOYEE and not user.is_superuser:
                target = user.employee if inside else w.inside
            else:
                target = w.inside if inside else w.outside
            got = _let_through(w, action, user, target)
            if got != _expected(action, user, inside, w, target):
                wrong.append(f"{key} {'in' if inside else 'out of'} scope: {'passed' if got else 'refused'}")
    assert not wrong, f"{action}: {wrong}"


RECUSED = sorted(a for a, r in RIGHTS.items() if r.recuse)


@pytest.mark.parametrize("action", RECUSED)
def test_nobody_acts_about_themself(world, action):
    w, _ = world
    role = sorted(RIGHTS[action].roles)[0]
    track = PROBE_TRACKS.get(action, w.inside.track)
    reviewer_track = next(t for t, tracks in REVIEWED_TRACKS.items() if track in tracks)
    # A holder of the right whose own employee record is the target, inside their scope.
    self_user = make_user(f"self-{action}", role, w.units["city_a"], employee=w.inside,
                          track=reviewer_track if role == Role.TRACK_REVIEWER else "")
    assert not _let_through(w, action, self_user, w.inside), f"{action}: acted about themself"
    # The same user about a colleague passes: it was the conflict, not the right, that refused.
    colleague = make_employee(w.units["county_a"], "A009", "赵九")
    _seed_records(colleague)
    assert _let_through(w, action, self_user, colleague), f"{action}: refused about a colleague too"
