"""Forms of the 竞聘 pages: they check shape (a date, a number, well-formed JSON, a unit the user may
see); the rules are the services' (jinjie.selections.services), whose refusals come back as the
Chinese message of the page."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinjie.org.models import OrgUnit
from jinjie.rules.selection import DEFAULT_CRITERIA, DEFAULT_SCHEME
from jinjie.selections.models import Conclusion

from .forms import BootstrapMixin, UnitChoiceField, _finite_float, _NotFinite, _refuse_constant, _units

MAX_JSON = 20_000
REASON_MAX = 1000


def criteria_text(criteria) -> str:
    return json.dumps(criteria, ensure_ascii=False, indent=2)


def posts_text(posts) -> str:
    return "\n".join(f"{p.title} | {p.places} | {p.duties}".rstrip(" |") for p in posts)


class SelectionForm(BootstrapMixin, forms.Form):
    org_unit = UnitChoiceField(label=_("组织单位"), queryset=OrgUnit.objects.none(), empty_label=None)
    title = forms.CharField(label=_("竞聘名称"), max_length=200)
    code = forms.CharField(label=_("竞聘编号"), max_length=20, required=False, help_text=_("不填则自动编号，如 JP2026-001"))
    deadline = forms.DateField(label=_("报名截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("竞聘公告"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    posts = forms.CharField(
        label=_("竞聘职位"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个职位：职务 | 职数 | 岗位职责，例如：客服部主任 | 1 | 负责客户服务中心全面工作"),
    )
    criteria = forms.CharField(
        label=_("报名条件(JSON)"), max_length=MAX_JSON,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "form-control font-monospace small"}),
        help_text=_(
            "条件类型：ladder_rank 职级、monopoly_level 专卖管理员等级、service_months 工作月数、education 学历、age 年龄、"
            "serious_violations 近12个月较重及以上违规、annual_rating 上年度年度考核；可用 all / any 组合"
        ),
    )
    w_written = forms.CharField(label=_("笔试权重"), max_length=10, initial="0.30")
    w_speech = forms.CharField(label=_("演讲答辩权重"), max_length=10, initial="0.40")
    w_democratic = forms.CharField(label=_("民主测评权重"), max_length=10, initial="0.30")
    pass_line = forms.CharField(label=_("笔试合格线"), max_length=10, initial="60")
    inspect_ratio = forms.IntegerField(label=_("考察比例 1:n"), min_value=1, max_value=10, initial=2)
    inspect_min = forms.CharField(label=_("考察最低总成绩"), max_length=10, initial="70")
    drop_extremes_from = forms.IntegerField(label=_("去掉最高、最低分的评委人数下限"), min_value=3, max_value=99, initial=5)
    notice_days = forms.IntegerField(label=_("任前公示工作日数"), min_value=5, max_value=60, initial=5)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units(user)
        self.fields["criteria"].initial = criteria_text(DEFAULT_CRITERIA)
        self._style()

    def clean_posts(self):
        rows = []
        for line in self.cleaned_data["posts"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            places = parts[1] if len(parts) > 1 and parts[1] else "1"
            if not places.isdigit():
                raise forms.ValidationError(gettext("“%(post)s”的职数应为整数") % {"post": parts[0]})
            rows.append({"title": parts[0], "places": int(places), "duties": "|".join(parts[2:]).strip()})
        if not rows:
            raise forms.ValidationError(gettext("请至少填写一个职位"))
        return rows

    def clean_criteria(self):
        text = self.cleaned_data["criteria"]
        try:
            doc = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except json.JSONDecodeError as e:
            raise forms.ValidationError(gettext("JSON 格式错误：第 %(line)s 行第 %(col)s 列附近（%(msg)s）") % {"line": e.lineno, "col": e.colno, "msg": e.msg}) from None
        except _NotFinite as e:
            raise forms.ValidationError(gettext("JSON 格式错误：数值 %(value)s 不是有限数") % {"value": e}) from None
        except RecursionError:
            raise forms.ValidationError(gettext("JSON 格式错误：嵌套层数过多")) from None
        except ValueError:
            raise forms.ValidationError(gettext("JSON 格式错误：数值位数过多")) from None
        if not isinstance(doc, list):
            raise forms.ValidationError(gettext("报名条件应为条件列表（JSON 数组）"))
        return doc

    def service_values(self) -> dict:
        d = self.cleaned_data
        return {
            "org_unit": d["org_unit"],
            "title": d["title"],
            "code": d.get("code") or None,
            "deadline": d["deadline"],
            "description": d.get("description") or "",
            "posts": d["posts"],
            "criteria": d["criteria"],
            "scheme": {
                "weights": {"written": d["w_written"], "speech": d["w_speech"], "democratic": d["w_democratic"]},
                "pass_line": d["pass_line"],
                "inspect_ratio": d["inspect_ratio"],
                "inspect_min": d["inspect_min"],
                "drop_extremes_from": d["drop_extremes_from"],
            },
            "notice_days": d["notice_days"],
        }

    @staticmethod
    def initial_for(selection) -> dict:
        scheme = selection.scheme or DEFAULT_SCHEME.to_doc()
        w = scheme.get("weights", {})
        return {
            "org_unit": selection.org_unit_id, "title": selection.title, "code": selection.code, "deadline": selection.deadline,
            "description": selection.description, "posts": posts_text(selection.posts.all()),
            "criteria": criteria_text(selection.criteria), "w_written": w.get("written"), "w_speech": w.get("speech"),
            "w_democratic": w.get("democratic"), "pass_line": scheme.get("pass_line"), "inspect_ratio": scheme.get("inspect_ratio"),
            "inspect_min": scheme.get("inspect_min"), "drop_extremes_from": scheme.get("drop_extremes_from"),
            "notice_days": selection.notice_days,
        }


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(BootstrapMixin, forms.Form):
    post = forms.TypedChoiceField(label=_("报名职位"), coerce=int)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [(p.pk, gettext("%(title)s（职数 %(n)s）") % {"title": p.title, "n": p.places}) for p in posts]
        self._style()


class RecommendForm(BootstrapMixin, forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    post = forms.TypedChoiceField(label=_("职位"), coerce=int)
    exception_reason = forms.CharField(
        label=_("破格理由(仅不符合一项条件时)"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(label=_("破格材料(PDF/PNG/JPEG)"), required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [(p.pk, p.title) for p in posts]
        self._style()


class ExceptionForm(BootstrapMixin, forms.Form):
    application = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("破格理由"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("破格材料(PDF/PNG/JPEG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReviewForm(BootstrapMixin, forms.Form):
    application = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("审查结果"), choices=[("confirm", _("通过")), ("refuse", _("不通过"))])
    reason = forms.CharField(label=_("审查意见"), max_length=REASON_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class UserChoiceForm(BootstrapMixin, forms.Form):
    user = forms.TypedChoiceField(label=_("评委"), coerce=int)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(u.pk, f"{u.get_full_name() or u.username}（{gettext(u.get_role_display())}）") for u in users]
        self._style()


class RecusalForm(BootstrapMixin, forms.Form):
    judge = forms.TypedChoiceField(label=_("评委"), coerce=int)
    application = forms.TypedChoiceField(label=_("回避对象"), coerce=int)
    reason = forms.CharField(label=_("回避原因"), max_length=500)

    def __init__(self, *args, judges, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].choices = [(j.user_id, j.user.get_full_name() or j.user.username) for j in judges]
        self.fields["application"].choices = [(a.pk, f"{a.employee.name}（{a.post.title}）") for a in applications]
        self._style()


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=[(s, s) for s in ("review", "written", "speech", "democratic")])


class InspectionForm(BootstrapMixin, forms.Form):
    application = forms.TypedChoiceField(label=_("考察对象"), coerce=int)
    inspectors = forms.CharField(label=_("考察组成员"), max_length=300)
    date = forms.DateField(label=_("考察日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("考察情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label=_("考察结论"), choices=Conclusion.choices)
    reason = forms.CharField(label=_("更正理由(再次考察时填写)"), max_length=REASON_MAX, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [(a.pk, f"{a.employee.name}（{a.post.title}）") for a in candidates]
        self._style()


class NoticeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("公示标题(可不填)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CorrectionForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label=_("成绩"), choices=[("written", _("笔试")), ("speech", _("演讲答辩(最终成绩)")), ("democratic", _("民主测评(最终成绩)"))])
    application = forms.TypedChoiceField(label=_("考生"), coerce=int)
    score = forms.CharField(label=_("更正后的成绩"), max_length=10)
    reason = forms.CharField(label=_("更正理由"), max_length=REASON_MAX)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [(a.pk, f"{a.employee.name}（{a.post.title}）") for a in applications]
        self._style()
