"""Writes on logins: staff accounts, employees' logins in bulk, one-time passwords, deactivation.

Who may do what is the authority's (users.manage: HR over employees' logins inside their subtree)
with one rule above it: only a superuser grants a role other than 员工, staff or superuser status,
or a data scope — nobody widens their own or anyone's rights by editing a login, and nobody but a
superuser sets the password of a staff login. Nobody manages their own login here (回避).

A password handed out is one-time: it is shown (or printed) once and never stored in clear; the
login must choose its own at first use (`must_change_password`, enforced by
web.middleware.PasswordChangeRequired for pages and the API).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jinjie.core.errors import DomainError, NotPermitted

from . import authority
from .models import OrgUnit, Role, User

# Easy to read aloud and type from paper: no 0/O, 1/l/I.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 10


class LoginError(DomainError):
    pass


@dataclass(frozen=True)
class IssuedLogin:
    """A login handed to an employee: print it, give it, forget it."""

    employee_no: str
    name: str
    unit: str
    username: str
    password: str


def one_time_password() -> str:
    # At least one digit and one letter, so that Django's validators never refuse our own password.
    while True:
        word = "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word


def _refuse_unless_superuser(actor: User, what: str) -> None:
    if not (actor.is_active and actor.is_superuser):
        raise NotPermitted(f"只有系统管理员可以{what}")


def _employee_subject(user: User) -> authority.Subject:
    """A login as the authority sees it: its employee (and unit), and itself as a party."""
    employee = user.employee if user.employee_id else None
    return authority.Subject(
        unit=employee.org_unit if employee else user.org_unit,
        employee_id=employee.pk if employee else None,
        parties=frozenset({user.pk}),
    )


def _require_manage(actor: User, user: User) -> None:
    """HR manages the logins of employees in their subtree; staff logins are the superusers'."""
    if user.pk == actor.pk:
        raise NotPermitted("回避：不能在此管理本人的账号，请在“修改密码”中修改本人密码")
    if user.is_superuser or user.is_staff or user.role != Role.EMPLOYEE:
        _refuse_unless_superuser(actor, "管理岗位人员和系统管理员的账号")
        return
    authority.require(actor, "users.manage", _employee_subject(user))


@transaction.atomic
def employee_logins_create(*, actor: User, employees: Iterable) -> list[IssuedLogin]:
    """A login for each employee that has none: user name = 工号, a one-time password each.

    All in scope or nothing: an employee outside the actor's subtree (or the actor's own record)
    refuses the whole batch. Employees that already have a login, or whose 工号 is already another
    login's user name, are left out (reported by `skipped`). A handful of queries for any number.
    """
    employees = list(employees)
    for employee in employees:
        authority.require(actor, "users.manage", employee)
    taken_names = set(
        User.objects.filter(username__in=[e.employee_no for e in employees]).values_list("username", flat=True)
    )
    with_login = set(User.objects.filter(employee__in=employees).values_list("employee_id", flat=True))
    issued: list[IssuedLogin] = []
    new_users: list[User] = []
    for employee in sorted(employees, key=lambda e: (e.org_unit.path, e.employee_no)):
        if employee.pk in with_login or employee.employee_no in taken_names:
            continue
        password = one_time_password()
        new_users.append(
            User(
                username=employee.employee_no,
                first_name=employee.name,
                role=Role.EMPLOYEE,
                employee=employee,
                org_unit=employee.org_unit,
                password=make_password(password),
                must_change_password=True,
                is_active=employee.status == "在岗",
            )
        )
        issued.append(IssuedLogin(employee.employee_no, employee.name, employee.org_unit.path, employee.employee_no, password))
    User.objects.bulk_create(new_users)
    return issued


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """A new one-time password for an employee's login (HR in scope) or any login (superuser)."""
    user = User.objects.select_for_update(of=("self",)).select_related("employee__org_unit", "org_unit").get(pk=user.pk)
    _require_manage(actor, user)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    user = User.objects.select_for_update(of=("self",)).select_related("employee__org_unit", "org_unit").get(pk=user.pk)
    _require_manage(actor, user)
    if active and user.employee_id and user.employee.status != "在岗":
        raise LoginError(f"{user.employee.name} 已离岗，不能启用其账号")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def staff_user_save(
    *,
    actor: User,
    username: str,
    role: str,
    org_unit: OrgUnit | None,
    track: str = "",
    full_name: str = "",
    is_superuser: bool = False,
    user: User | None = None,
) -> tuple[User, str | None]:
    """Create (or change the role and scope of) a staff login — superusers only.

    Returns the login and, for a new one, its one-time password. A staff login other than a
    superuser's must have a unit (its data scope); a track reviewer must name the track reviewed.
    """
    _refuse_unless_superuser(actor, "授予岗位角色、数据范围或系统管理员权限")
    if role not in Role.values:
        raise LoginError(f"未知的角色：{role}")
    if org_unit is None and not is_superuser:
        raise LoginError("请选择账号的所属单位(数据范围)")
    if role == Role.TRACK_REVIEWER and track not in authority.REVIEWED_TRACKS:
        raise LoginError(f"序列审核账号须指定审核序列：{'、'.join(authority.REVIEWED_TRACKS)}")
    password = None
    if user is None:
        username = (username or "").strip()
        if not username or len(username) > 150:
            raise LoginError("请填写用户名(不超过 150 个字符)")
        if User.objects.filter(username=username).exists():
            raise LoginError(f"用户名“{username}”已被使用")
        password = one_time_password()
        user = User(username=username, must_change_password=True)
        user.set_password(password)
    else:
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.pk == actor.pk and not is_superuser:
            raise NotPermitted("回避：不能取消本人的系统管理员权限")
    user.role, user.org_unit, user.track = role, org_unit, track if role == Role.TRACK_REVIEWER else ""
    user.first_name = full_name or user.first_name
    user.is_superuser = user.is_staff = bool(is_superuser)
    user.save()
    return user, password


@transaction.atomic
def password_change_own(*, user: User, old_password: str, new_password: str) -> None:
    """A login sets its own password (the first login must): Django's validators, in Chinese."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise LoginError("原密码不正确")
    if old_password == new_password:
        raise LoginError("新密码不能与原密码相同")
    try:
        validate_password(new_password, user)
    except ValidationError as e:
        raise LoginError("；".join(e.messages)) from None
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


def logins_of_departed_deactivate() -> int:
    """Employees who have left (离岗) lose their login's access at once: called in the same
    transaction as any write that can make someone 离岗 (imports, the admin). One UPDATE."""
    return User.objects.filter(employee__status="离岗", is_active=True).update(is_active=False)


def one_time_password_retire(*, user: User) -> None:
    """The login has just proved itself through the bureau's directory (org.directory): the one-time
    password HR handed out is no longer needed and must not stay valid beside the directory's, so
    it is made unusable and the forced change lifted. A password the person chose is kept."""
    unusable = make_password(None)
    if User.objects.filter(pk=user.pk, must_change_password=True).update(password=unusable, must_change_password=False):
        user.password, user.must_change_password = unusable, False
