from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

admin.site.site_header = "晋阶 · 职业生涯与职级晋升管理"
admin.site.site_title = "晋阶管理后台"
admin.site.index_title = "人事劳资基础数据"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("jinjie.api.urls")),
    path("", include("jinjie.web.urls")),
]
