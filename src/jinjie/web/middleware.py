"""A login with a one-time password (org.services) must choose its own before anything else."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# What a login that must change its password may still reach.
OPEN_PREFIXES = ("/password/", "/logout/", "/static/", "/i18n/", "/healthz")
MUST_CHANGE = "首次登录须先修改初始密码"


class PasswordChangeRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            path = request.path
            if not path.startswith(OPEN_PREFIXES):
                if path.startswith("/api/"):
                    return JsonResponse({"detail": f"{MUST_CHANGE}：请在网页上登录并设置新密码"}, status=403)
                return redirect(reverse("web:password_change") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
