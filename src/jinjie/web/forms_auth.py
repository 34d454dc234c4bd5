"""The login form, with the throttle of web.throttle in front of the password check."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用，请联系人事劳资部门。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request) if self.request else "unknown"
        # Checked before authenticate(): while locked even the right password is refused, so the
        # lock cannot be used as an oracle for it.
        left = throttle.locked_for(username, ip)
        if left:
            raise forms.ValidationError(throttle.locked_message(left), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username and throttle.record_failure(username, ip):
                raise forms.ValidationError(throttle.locked_message(throttle.LOCKOUT), code="locked") from None
            raise
        throttle.clear(username, ip)
        return cleaned
