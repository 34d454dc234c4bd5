"""Forms of the web pages. They check shape and scope (a unit the user may see, a well-formed
period); the rules themselves are the services' to apply, and their refusals come back as
Chinese messages."""

import math
import re
from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinjie.core.text import to_halfwidth
from jinjie.evaluations.models import ProposalState
from jinjie.org.models import OrgKind, OrgUnit
from jinjie.org.scoping import visible_org_units
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import MOVE_LABELS, RANKS

COMMENT_MAX = 500


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields plainly."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        # Bootstrap shows a field's error only next to an `is-invalid` input.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return "　" * obj.depth + obj.name


def _units(user):
    return visible_org_units(user).order_by("path")


class PeriodField(forms.Field):
    """A 测评期 typed as YYYYQn, parsed once here into a Period (services take Period)."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "10"}

    def to_python(self, value):
        text = to_halfwidth(str(value)).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > 10:
            raise forms.ValidationError(gettext("测评期格式应为 YYYYQn，例如 2026Q3"))
        try:
            return Period.parse(text)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value


class RunEvaluationForm(BootstrapMixin, forms.Form):
    period = PeriodField(label=_("测评期"), help_text=_("格式 YYYYQn，例如 2026Q3"))
    org_unit = UnitChoiceField(label=_("测评范围(单位)"), queryset=OrgUnit.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        self._style()


class PeriodSubmitForm(BootstrapMixin, forms.Form):
    period = PeriodField()
    org_unit = UnitChoiceField(queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)


class ProposalFilterForm(BootstrapMixin, forms.Form):
    period = PeriodField(label=_("测评期"))
    move = forms.ChoiceField(label=_("变动"), required=False, choices=[("", _("全部变动"))] + [(k, _(v)) for k, v in MOVE_LABELS.items()])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + [(k, _(v)) for k, v in ProposalState.choices])
    unit = UnitChoiceField(label=_("单位"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("全部单位"))
    q = forms.CharField(label=_("工号/姓名"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self._style()


class DecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("approve", _("同意")), ("reject", _("不同意"))], initial="approve", widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(label=_("意见"), required=False, max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("不同意时请填写理由"))
        return cleaned


class BatchDecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("submit", _("提交审批")), ("approve", _("同意")), ("reject", _("不同意"))])
    comment = forms.CharField(required=False, max_length=COMMENT_MAX)
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, error_messages={"invalid_choice": _("所选建议无效")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; whether the user may act on it is the service's to say.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        ids = sorted(set(cleaned.get("ids") or []))
        if not ids:
            raise forms.ValidationError(gettext("请至少选择一条建议"))
        if len(ids) > 1000:
            raise forms.ValidationError(gettext("一次最多批量办理 1000 条"))
        if cleaned.get("decision") == "reject" and not (cleaned.get("comment") or "").strip():
            raise forms.ValidationError(gettext("不同意时请填写理由"))
        cleaned["ids"] = ids
        return cleaned


class ObjectionForm(BootstrapMixin, forms.Form):
    proposal = forms.TypedChoiceField(label=_("异议对象"), coerce=int)
    reason = forms.CharField(label=_("异议内容及理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [
            (p.pk, f"{p.employee.name}（{p.employee.employee_no}）{p.from_rank} → {p.to_rank}") for p in proposals
        ]
        self._style()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError(gettext("请写明异议的事实和理由(至少 5 个字)"))
        return reason


class ResolveForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("dismiss", _("异议不成立(驳回)")), ("uphold", _("异议成立"))])
    reason = forms.CharField(label=_("处理理由"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PublishNoticeForm(BootstrapMixin, forms.Form):
    org_unit = UnitChoiceField(label=_("公示单位"), queryset=OrgUnit.objects.none(), empty_label=None)
    title = forms.CharField(label=_("公示标题"), max_length=200, required=False, help_text=_("留空则按“关于某某等同志职级晋升的公示”自动生成"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        self._style()


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotFinite(text)
    return value


class RulebookDraftForm(BootstrapMixin, forms.Form):
    org_unit = UnitChoiceField(
        label=_("适用单位"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("本单位"),
        help_text=_("标准适用于该单位及其下级单位；下级单位另有标准的，按下级单位的标准执行。系统管理员不选则适用于全部单位"),
    )
    # The browser's date input wants YYYY-MM-DD whatever the language; Django's default format for
    # zh-hans would pre-fill a value the input rejects.
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), input_formats=["%Y-%m-%d"]
    )
    note = forms.CharField(label=_("修订说明"), max_length=300, required=False)
    document = forms.CharField(label=_("标准内容(JSON)"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "form-control font-monospace small"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Only a 省公司 or a 市局(分局) makes standards (rulebooks.services.OWNER_KINDS).
            self.fields["org_unit"].queryset = _units(user).filter(kind__in=[OrgKind.PROVINCE, OrgKind.CITY])
        else:
            del self.fields["org_unit"]
        self._style()

    def clean_document(self):
        import json

        text = self.cleaned_data["document"]
        try:
            # NaN/Infinity are not JSON: PostgreSQL's jsonb refuses them and no threshold is infinite.
            doc = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except json.JSONDecodeError as e:
            raise forms.ValidationError(gettext("JSON 格式错误：第 %(line)s 行第 %(col)s 列附近（%(msg)s）") % {"line": e.lineno, "col": e.colno, "msg": e.msg}) from None
        except _NotFinite as e:
            raise forms.ValidationError(gettext("JSON 格式错误：数值 %(value)s 不是有限数") % {"value": e}) from None
        except RecursionError:
            raise forms.ValidationError(gettext("JSON 格式错误：嵌套层数过多")) from None
        except ValueError:
            # Python refuses integers of more than 4300 digits (int_max_str_digits).
            raise forms.ValidationError(gettext("JSON 格式错误：数值位数过多")) from None
        if not isinstance(doc, dict):
            raise forms.ValidationError(gettext("标准内容应为一个 JSON 对象"))
        return doc

    def clean_effective_from(self):
        value: date = self.cleaned_data["effective_from"]
        if value.year < 2000 or value.year > 2100:
            raise forms.ValidationError(gettext("生效日期不合理"))
        return value


class ImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("数据类别"))
    file = forms.FileField(label=_("文件(CSV UTF-8 或 XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self._style()

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.JINJIE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(gettext("文件超过上限 %(mb)s MB") % {"mb": settings.JINJIE_IMPORT_MAX_BYTES // 1048576})
        return upload


class ImmediateDemotionForm(BootstrapMixin, forms.Form):
    violation = forms.TypedChoiceField(label=_("违规记录"), coerce=int)
    to_level = forms.ChoiceField(label=_("处理"), choices=[("grade", _("即时降档(降一档)")), ("level", _("即时降级(降一级)"))])
    comment = forms.CharField(label=_("考评委员会意见"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, violations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation"].choices = [(v.pk, f"{v.date:%Y-%m-%d}（{v.severity}）{v.description}") for v in violations]
        self._style()


class QualificationCorrectForm(BootstrapMixin, forms.Form):
    granted_date = forms.DateField(
        label=_("更正后的取得日期"), error_messages={"required": _("请填写更正后的取得日期"), "invalid": _("取得日期格式应为 YYYY-MM-DD")}
    )
    reason = forms.CharField(label=_("更正原因"), max_length=300, error_messages={"required": _("请填写更正原因")})
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends exactly that)."""

    widget = forms.TextInput(attrs={"type": "month", "maxlength": "7"})

    def to_python(self, value):
        text = to_halfwidth(str(value or "")).strip()
        if not text:
            return None
        if not MONTH_RE.match(text) or not 2000 <= int(text[:4]) <= 2100:
            raise forms.ValidationError(gettext("月份格式应为 YYYY-MM，例如 2026-09"))
        return text


def default_unit(user) -> OrgUnit | None:
    """A report's unit when none is chosen: the user's own, else (a superuser) the top of the tree."""
    units = _units(user)
    if user.org_unit_id is not None and units.filter(pk=user.org_unit_id).exists():
        return user.org_unit
    return units.filter(parent=None).first()


class ReportFilterForm(BootstrapMixin, forms.Form):
    """The filters of one report (reports.registry); each report shows the ones it uses."""

    unit = UnitChoiceField(label=_("单位"), required=False, queryset=OrgUnit.objects.none(), empty_label=None)
    period = PeriodField(label=_("测评期"), required=False)
    date = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    month = MonthField(label=_("月份"), required=False)
    periods = forms.IntegerField(label=_("期数"), required=False, min_value=2, max_value=20)
    target = forms.ChoiceField(label=_("目标职级"), required=False)
    track = forms.ChoiceField(label=_("岗位序列"), required=False)

    def __init__(self, data, *, user, spec):
        super().__init__(data, auto_id="id_%s")
        self.user = user
        for name in ("period", "date", "month", "periods", "target", "track"):
            if name not in spec.filters:
                del self.fields[name]
        self.fields["unit"].queryset = _units(user)
        if "track" in self.fields:
            self.fields["track"].choices = [("", _("全部"))] + [(t, _(t)) for t in spec.tracks]
        if "target" in self.fields:
            self.fields["target"].choices = [("", _("全部职级"))] + [(r, r) for r in RANKS[1:]]
        if "periods" in self.fields:
            self.fields["periods"].widget.attrs["placeholder"] = "8"
        self._style()

    def clean_period(self):
        value = self.cleaned_data.get("period")
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(gettext("测评期应在 2000–2100 年之间"))
        return value

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(gettext("日期应在 2000–2100 年之间"))
        return value

    def clean_unit(self):
        return self.cleaned_data.get("unit") or default_unit(self.user)


class WhatIfForm(BootstrapMixin, forms.Form):
    book = forms.TypedChoiceField(label=_("试算的标准"), coerce=int)
    period = PeriodField(label=_("测评期(用这一期的数据)"), widget=forms.TextInput(attrs={"placeholder": "2026Q3"}))
    unit = UnitChoiceField(label=_("范围(单位)"), queryset=OrgUnit.objects.none(), empty_label=None)

    def __init__(self, data, *, user, books):
        super().__init__(data)
        self.fields["book"].choices = [
            (b.pk, gettext("v%(version)s（%(status)s，%(day)s 起）") % {
                "version": b.version, "status": gettext(b.get_status_display()), "day": f"{b.effective_from:%Y-%m-%d}",
            } + f"{b.note and ' · ' + b.note}")
            for b in books
        ]
        self.fields["unit"].queryset = _units(user)
        self._style()
