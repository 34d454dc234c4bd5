"""Forms of the 申报 pages (SPEC 3.1). They check shape and scope; the rules are the services'."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinjie.org.models import OrgUnit
from jinjie.rules.ladder import MONOPOLY_LEVELS

from .forms import BootstrapMixin, UnitChoiceField, _units

DATE_ERRORS = {"invalid": _("日期格式应为 YYYY-MM-DD")}


class RoundForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=100, error_messages={"required": _("请填写批次名称")})
    org_unit = UnitChoiceField(label=_("范围(单位)"), queryset=OrgUnit.objects.none(), empty_label=None)
    levels = forms.MultipleChoiceField(
        label=_("开放申报的等级"), choices=[(x, x) for x in MONOPOLY_LEVELS], widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少开放一个等级"), "invalid_choice": _("未知的专卖管理员等级：%(value)s")},
    )
    opens = forms.DateField(label=_("申报开始"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS)
    closes = forms.DateField(label=_("申报截止(含)"), widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS)
    check_date = forms.DateField(
        label=_("资格审查基准日"), required=False, widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERRORS,
        help_text=_("留空则为申报截止日；各项条件按此日的数据核对"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        self._style()


class ApplyOnBehalfForm(BootstrapMixin, forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32, error_messages={"required": _("请填写工号")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class EmployeeIdsForm(forms.Form):
    """The chosen set of the qualified list (employee ids); whether each may apply is the service's."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, error_messages={"invalid_choice": _("所选员工无效")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and len(str(value)) < 19

    def clean(self):
        cleaned = super().clean()
        ids = sorted(set(cleaned.get("ids") or []))
        if not ids:
            raise forms.ValidationError(gettext("请至少选择一名员工"))
        if len(ids) > 1000:
            raise forms.ValidationError(gettext("一次最多代为申报 1000 人"))
        cleaned["ids"] = ids
        return cleaned


class ReviewForm(BootstrapMixin, forms.Form):
    """One 符合/不符合 choice per manual item of the application (their codes are the field names)."""

    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item["code"]] = forms.ChoiceField(
                label=item["label"], choices=[("1", _("符合")), ("0", _("不符合"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": gettext("请认定：%(item)s") % {"item": item["label"]}},
            )
        self._style()

    def marks(self) -> dict[str, bool]:
        return {item["code"]: self.cleaned_data[item["code"]] == "1" for item in self.items}

    def item_fields(self):
        return [self[item["code"]] for item in self.items]
