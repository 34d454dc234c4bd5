"""Who may call which endpoint: the one authority (org.authority), asked by the API.

A view names the right(s) it needs (`rights`, or `rights_by_action[action]`); a caller who holds
none of them gets 403 before anything runs. A row outside the caller's subtree is simply not in
the scoped queryset and so answers 404 — the API never says that someone else's record exists.
The services check again, with the target, whatever the edge asked.
"""

from rest_framework.permissions import BasePermission

from jinjie.org import authority


def holds_any(user, rights) -> bool:
    return any(authority.allows(user, right) for right in rights)


class AuthorityPermission(BasePermission):
    message = "您的角色无权执行此操作"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF turns this into 401/403 "身份认证信息未提供"
        if request.user.must_change_password:
            # A token obtained with a one-time password opens nothing until the login sets its own.
            self.message = "首次登录须先修改初始密码：请在网页上登录并设置新密码"
            return False
        by_action = getattr(view, "rights_by_action", None)
        action = getattr(view, "action", None)
        if by_action is not None and action in by_action:
            rights = by_action[action]
        else:
            rights = getattr(view, "rights", None)
            if rights is None:
                # A view that forgot to declare its rights is closed, not open.
                return False
        if rights == ():
            return True  # any logged-in user (what they see is scoped by the selectors)
        if holds_any(request.user, rights):
            return True
        if len(rights) == 1:
            self.message = authority.explain(request.user, rights[0]) or self.message
        return False
