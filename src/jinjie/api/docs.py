"""An offline API docs page: Swagger UI from the drf-spectacular-sidecar package, no CDN (ARCHITECTURE).

The sidecar's files are served from the installed package by this app itself, so the page works on
an intranet without adding the sidecar to INSTALLED_APPS or running collectstatic for it. Only the
swagger-ui-dist folder is exposed, read-only; django.views.static.serve refuses paths outside it.
"""

from pathlib import Path

import drf_spectacular_sidecar
from django.http import Http404
from django.urls import reverse
from django.views.static import serve
from drf_spectacular.views import SpectacularSwaggerView

SWAGGER_UI_DIR = Path(drf_spectacular_sidecar.__file__).resolve().parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"})


def swagger_asset(request, name: str):
    if name not in SERVED:
        raise Http404("没有该文件")
    response = serve(request, name, document_root=str(SWAGGER_UI_DIR))
    response["Cache-Control"] = "public, max-age=86400"
    return response


class OfflineSwaggerView(SpectacularSwaggerView):
    url_name = "api-schema"
    title = "晋阶 Jinjie API 文档"

    @staticmethod
    def _swagger_ui_resource(filename):
        return reverse("api:docs-asset", kwargs={"name": filename})

    @staticmethod
    def _swagger_ui_favicon():
        return reverse("api:docs-asset", kwargs={"name": "favicon-32x32.png"})
