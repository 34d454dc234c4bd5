"""数据导入 (HR, assessment centre): upload, error report or preview, confirm."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from ..access import IMPORTS, role_required


@role_required(*IMPORTS)
@require_http_methods(["GET", "POST"])
def imports(request):
    return render(request, "web/imports.html", {})


@role_required(*IMPORTS)
@require_POST
def import_confirm(request):
    return render(request, "web/imports.html", {})
