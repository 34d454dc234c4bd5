"""Django groups that give each role of SPEC 1 its rights in the admin (master data only).

The web application checks roles itself; these groups only open the admin pages a role needs.
"""

from django.contrib.auth.models import Group, Permission

from jinjie.org.models import Role

ADMIN_RIGHTS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.HR: {
        "org": ("orgunit", "user"),
        "people": ("employee", "trainingrecord", "annualrating", "publication", "qualification", "violation", "contribution"),
        "rulebooks": ("rulebook",),
        "assessments": ("monthlyscore", "abilityscore"),
    },
    Role.ASSESSOR: {
        "assessments": ("monthlyscore", "abilityscore"),
        "people": ("violation", "contribution"),
    },
}
READ_ONLY = {Role.HR: {"people": ("rankchange", "recordrevision", "piiaccesslog")}}


def role_group_name(role: str) -> str:
    return Role(role).label


def ensure_role_groups() -> None:
    """Create or refresh one group per role (idempotent)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        codenames = []
        for app, models in ADMIN_RIGHTS.get(role, {}).items():
            for model in models:
                codenames += [(app, f"{action}_{model}") for action in ("add", "change", "view")]
        for app, models in READ_ONLY.get(role, {}).items():
            codenames += [(app, f"view_{model}") for model in models]
        perms = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in codenames]
        group.permissions.set(perms)
