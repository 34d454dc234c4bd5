"""What the tools under a proposal list (the 晋升/降级建议 list, 待我审批) offer a user."""

from ..access import may
from ..forms_workflow import BatchDecideMeetingForm
from .exports import export_link


def list_tools(request, export_name: str) -> dict:
    """What the tools under a proposal list offer this user: printing the selected 晋级审批表,
    recording the committee's meeting with a batch, exporting the filtered list."""
    return {
        "may_print": may(request.user, "proposals.print_form"),
        "may_record_meeting": may(request.user, "meetings.record"),
        "batch_form": BatchDecideMeetingForm(),
        **export_link(request, export_name, "proposals.export"),
    }
