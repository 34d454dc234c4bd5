"""Who may call which endpoint (SPEC 1 table).

A role that may not use an endpoint at all gets 403; a row outside the caller's subtree is simply
not in the scoped queryset and so answers 404 — the API never says that someone else's record exists.
"""

from rest_framework.permissions import BasePermission

from jinjie.org.models import Role

ALL_ROLES = frozenset(Role)

# One set per operation, as in the web application (web/access.py); superusers pass every check
# (they administer the installation). tests/api/test_role_matrix.py pins this table.
# The assessment centre also reads employees here: an integration that feeds scores needs the
# employee numbers it may score. An employee-role user reads only themselves (scoping, not a role).
READ_EMPLOYEES = frozenset({Role.HR, Role.COMMITTEE, Role.ASSESSOR, Role.EMPLOYEE})
# An employee reads their own proposals with the reasons (SPEC 2.3: "so that an employee can read why").
READ_PROPOSALS = frozenset({Role.COMMITTEE, Role.HR, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR, Role.EMPLOYEE})
RUN_EVALUATION = frozenset({Role.COMMITTEE, Role.HR})
SUBMIT_PROPOSALS = frozenset({Role.COMMITTEE})
DECIDE_PROPOSALS = frozenset({Role.TRACK_REVIEWER, Role.COMMITTEE, Role.LEADER, Role.DIRECTOR})
READ_NOTICES = ALL_ROLES
PUBLISH_NOTICES = frozenset({Role.COMMITTEE})
# "Any employee of the unit" (SPEC 2.4): a staff login tied to an employee may object too; the
# service refuses a login that is not tied to an employee of the notice's unit.
FILE_OBJECTIONS = ALL_ROLES
READ_OBJECTIONS = frozenset({Role.COMMITTEE, Role.DISCIPLINE, Role.EMPLOYEE})
RESOLVE_OBJECTIONS = frozenset({Role.COMMITTEE})
IMMEDIATE_DEMOTION = frozenset({Role.COMMITTEE})
READ_REASSIGNMENTS = frozenset({Role.HR})
IMPORT_ANY = frozenset({Role.HR})
# 督察考评中心 enters the assessment data only (SPEC 1); the kind is checked by may_import.
ASSESSOR_IMPORT_KINDS = frozenset({"scores", "ability", "violations", "contributions"})
IMPORTERS = IMPORT_ANY | {Role.ASSESSOR}


def has_role(user, roles) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser) or user.role in roles


def may_import(user, kind: str) -> bool:
    if has_role(user, IMPORT_ANY):
        return True
    return kind in ASSESSOR_IMPORT_KINDS and has_role(user, {Role.ASSESSOR})


class RolePermission(BasePermission):
    """Checks `view.roles` (or `view.roles_by_action[action]`) against the caller's role."""

    message = "您的角色无权执行此操作"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF turns this into 401/403 "身份认证信息未提供"
        by_action = getattr(view, "roles_by_action", None)
        action = getattr(view, "action", None)
        if by_action is not None and action in by_action:
            roles = by_action[action]
        else:
            roles = getattr(view, "roles", None)
            if roles is None:
                # A view that forgot to declare its roles is closed, not open.
                return bool(request.user.is_superuser)
        return has_role(request.user, roles)
