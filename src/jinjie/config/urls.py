from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from jinjie.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("jinjie.api.urls")),
    path("", include("jinjie.web.urls")),
]
