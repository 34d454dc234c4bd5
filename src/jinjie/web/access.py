"""Which page a user may open: the one authority (org.authority) asked by the web layer.

A page names the right it needs; the authority says yes or no. Data scoping is never decided
here: reads go through org.scoping and the selectors, so an object outside the user's subtree is
simply not found (404), while a page the role may not use at all is refused (403). Keeping the two
apart means a 403 never confirms that another unit's object exists.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from jinjie.org import authority
from jinjie.org.models import User


def may(user: User, *actions: str) -> bool:
    """Does the user hold any of these rights (role only, before any row is looked at)?"""
    return any(authority.allows(user, action) for action in actions)


def requires(*actions: str) -> Callable:
    """Login first (anonymous → login page), then any one of the rights (else 403). None: any login."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if actions and not may(request.user, *actions):
                refusal = authority.explain(request.user, actions[0]) or gettext("您的角色无权使用此页面")
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
