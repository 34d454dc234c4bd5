"""The login form, with the throttle of core.throttle in front of the password check."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jinjie.core import throttle
from jinjie.org.backends import DIRECTORY_UNREACHABLE, directory_unreachable


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账号已停用，请联系人事劳资部门。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # a missing field: no password is checked
        address = throttle.client_address(self.request) if self.request else "unknown"
        # Reserved before authenticate(): however many tries arrive at once, at most the limit
        # are checked, and while locked even the right password is refused (no oracle for it).
        attempt = throttle.reserve(username, address)
        if attempt.refused:
            raise forms.ValidationError(attempt.message, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if attempt.failed():
                raise forms.ValidationError(attempt.message, code="locked") from None
            if directory_unreachable(self.request):
                # Not "wrong password": the directory (统一身份认证) could not be asked. The local
                # passwords were still checked, so the failure counts all the same.
                raise forms.ValidationError(DIRECTORY_UNREACHABLE, code="directory_unreachable") from None
            raise
        attempt.succeeded()
        return cleaned
