"""Reads for the demo: the login table printed after `jinjie demo`."""

from __future__ import annotations

from dataclasses import dataclass

from jinjie.org.models import Role, User

from .bureau import DEMO_PASSWORD, LOGINS, MENTOR_LOGIN, SUPERUSER


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str  # 角色, in Chinese
    password: str
    scope: str  # 范围: the subtree, or whose record an employee login sees


def demo_logins() -> list[LoginRow]:
    """The demo logins that exist, in the order of SPEC 1 (one query)."""
    order = [x.username for x in LOGINS] + [MENTOR_LOGIN, SUPERUSER]
    departments = {x.username: x.department for x in LOGINS}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=order).select_related("org_unit", "employee")
    }
    rows = []
    for username in order:
        user = users.get(username)
        if user is None:
            continue
        role = Role(user.role).label
        if user.role == Role.TRACK_REVIEWER:
            role = f"{departments.get(username) or '序列审核'}（{user.track}序列审核）"
        if user.is_superuser:
            role, scope = "超级用户（管理后台）", "全部"
        elif user.role == Role.EMPLOYEE and user.employee:
            e = user.employee
            scope = f"本人：{e.employee_no} {e.name}（{e.track} {e.current_rank}）"
        elif user.org_unit:
            scope = f"{user.org_unit.name}及下属单位"
        else:
            scope = "无"
        rows.append(LoginRow(username, role, DEMO_PASSWORD, scope))
    return rows
