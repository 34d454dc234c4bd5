"""Forms of the quarter's workflow pages: closing a reassignment case, the committee's meeting.
They check shape only; the services decide (and refuse in Chinese)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinjie.approvals.meetings import MeetingRecord
from jinjie.approvals.models import ReassignmentOutcome

from .forms import BatchDecideForm, BootstrapMixin, DecideForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReassignmentCloseForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=ReassignmentOutcome.choices)
    new_post = forms.CharField(label=_("新岗位"), required=False, max_length=100, help_text=_("调整到新岗位时填写"))
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("其他处理时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MeetingFieldsMixin(forms.Form):
    """The committee's meeting, optional on its decision forms: all three fields or none."""

    meeting_held_on = forms.DateField(label=_("会议日期"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    meeting_minutes_no = forms.CharField(label=_("会议纪要编号"), required=False, max_length=50,
                                         widget=forms.TextInput(attrs={"placeholder": _("例如：考评〔2026〕3号")}))
    meeting_attendees = forms.CharField(label=_("出席人员"), required=False, max_length=500,
                                        widget=forms.TextInput(attrs={"placeholder": _("按会议纪要填写，逗号分隔")}))
    MEETING_FIELDS = ("meeting_held_on", "meeting_minutes_no", "meeting_attendees")

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.MEETING_FIELDS if cleaned.get(name)]
        if given and len(given) < len(self.MEETING_FIELDS):
            for name in self.MEETING_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, gettext("记录会议时请同时填写%(field)s") % {"field": self.fields[name].label})
        return cleaned

    def meeting(self) -> MeetingRecord | None:
        """The meeting entered (after is_valid()), or None when the fields were left empty."""
        f = self.cleaned_data
        if not f.get("meeting_held_on"):
            return None
        return MeetingRecord(f["meeting_held_on"], f["meeting_attendees"], f["meeting_minutes_no"])


class CommitteeDecideForm(MeetingFieldsMixin, DecideForm):
    """The decision form of a `committee` step: the decision, and the meeting that took it."""


class BatchDecideMeetingForm(MeetingFieldsMixin, BatchDecideForm):
    """The list's batch form; the meeting applies to committee decisions only (the service says so)."""
