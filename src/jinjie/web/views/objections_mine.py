"""我的异议: the objections a user filed, with the committee's ruling once there is one.

Anyone may file (any employee of the notice's unit), so any login may read what they filed; the
list is objections_for(filed_by_me=True), which shows each one only to its filer here.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from jinjie.approvals.models import NoticeItem
from jinjie.approvals.selectors import objections_for

from ..access import requires
from .common import paginate


@requires()
@require_GET
def my_objections(request):
    rows = objections_for(user=request.user, filed_by_me=True, newest_first=True)
    items = NoticeItem.objects.filter(pk__in=[o.notice_item_id for o in rows]).select_related("notice")
    by_id = {i.pk: i for i in items}
    return render(
        request,
        "web/objections_mine.html",
        {"page": paginate(request, [{"o": o, "item": by_id[o.notice_item_id]} for o in rows], 30)},
    )
