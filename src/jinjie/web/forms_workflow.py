"""Forms of the quarter's workflow pages: closing a reassignment case, the committee's meeting.
They check shape only; the services decide (and refuse in Chinese)."""

from django import forms

from jinjie.approvals.models import ReassignmentOutcome

from .forms import BootstrapMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReassignmentCloseForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label="处理结果", choices=ReassignmentOutcome.choices)
    new_post = forms.CharField(label="新岗位", required=False, max_length=100, help_text="调整到新岗位时填写")
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    comment = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="其他处理时必填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
