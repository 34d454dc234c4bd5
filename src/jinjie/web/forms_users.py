"""Forms of the login pages: shape and scope only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jinjie.org.authority import REVIEWED_TRACKS
from jinjie.org.models import OrgUnit, Role, User
from jinjie.org.scoping import visible_org_units

from .forms import BootstrapMixin, UnitChoiceField


class BulkLoginsForm(BootstrapMixin, forms.Form):
    org_unit = UnitChoiceField(label=_("单位(含下级单位)"), queryset=OrgUnit.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = visible_org_units(user).order_by("path")
        self.fields["org_unit"].initial = user.org_unit_id
        self._style()


class StaffUserForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[(v, _(label)) for v, label in Role.choices if v != Role.EMPLOYEE])
    org_unit = UnitChoiceField(label=_("所属单位(数据范围)"), queryset=OrgUnit.objects.none(), required=False)
    track = forms.ChoiceField(
        label=_("审核序列(序列审核账号)"), required=False, choices=[("", "—")] + [(t, _(t)) for t in REVIEWED_TRACKS]
    )
    is_superuser = forms.BooleanField(label=_("系统管理员"), required=False)

    def __init__(self, *args, instance: User | None = None, **kwargs):
        if instance is not None and not args:
            kwargs.setdefault("initial", {
                "full_name": instance.first_name, "role": instance.role, "org_unit": instance.org_unit_id,
                "track": instance.track, "is_superuser": instance.is_superuser,
            })
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.order_by("path")
        if instance is not None:
            del self.fields["username"]
        self._style()


class PasswordChangeForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(label=_("原密码(或初始密码)"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=_("至少 8 位，不能全是数字，不能与用户名、姓名相近，不能是常见密码"))
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return cleaned
