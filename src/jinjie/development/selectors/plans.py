"""Reads of development plans: the current version, every version, a comparison of two."""

from dataclasses import dataclass

from jinjie.core.errors import NotPermitted
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from ..models import DevelopmentPlan, PlanComment, PlanVersion
from .mentors import active_pairing


def may_read_plan(user, employee: Employee) -> bool:
    if authority.allows(user, "plans.read", employee):
        return True
    return authority.allows(user, "mentorships.mentor") and active_pairing(
        mentor_id=user.employee_id, mentee_id=employee.pk
    ) is not None


def plan_employee(*, user, pk: int) -> Employee | None:
    """The employee whose plan `user` asks for: in their scope, or their active mentee; else None
    (a 404: nobody learns that someone else's plan exists)."""
    employee = Employee.objects.select_related("org_unit").filter(pk=pk).first()
    if employee is None or not may_read_plan(user, employee):
        return None
    return employee


def current_version(*, employee: Employee) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__employee=employee).select_related("saved_by").order_by("-number").first()


def plan_versions(*, employee: Employee) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(plan__employee=employee).select_related("saved_by").order_by("-number"))


def plan_comments(*, employee: Employee) -> list[PlanComment]:
    return list(PlanComment.objects.filter(plan__employee=employee).select_related("author").order_by("created_at", "id"))


def plans_in_scope(*, user):
    """The plans HR or a leader looks after: employees of their subtree who have one."""
    if not authority.allows(user, "plans.read"):
        raise NotPermitted(authority.explain(user, "plans.read") or "无权查看个人发展计划")
    return scope_employees(user, DevelopmentPlan.objects.select_related("employee__org_unit"), prefix="employee__")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


FIELDS = (("target_rank", "目标职级/等级"), ("target_date", "目标日期"), ("goals", "发展目标"))


def compare_versions(a: PlanVersion, b: PlanVersion) -> dict:
    """What changed from version `a` to `b`: fields, and actions added, removed or changed (by text)."""
    changes = []
    for name, label in FIELDS:
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            changes.append(Change(label, str(before or "—"), str(after or "—")))
    old = {x["text"]: x for x in a.actions}
    new = {x["text"]: x for x in b.actions}
    added = [x for t, x in new.items() if t not in old]
    removed = [x for t, x in old.items() if t not in new]
    changed = [(old[t], x) for t, x in new.items() if t in old and old[t] != x]
    return {"fields": changes, "added": added, "removed": removed, "changed": changed}
