from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import docs, errors, views, views_applications, views_reports
from .token import ObtainTokenView

app_name = "api"

router = SimpleRouter()
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("application-rounds", views_applications.ApplicationRoundViewSet, basename="application-round")
router.register("applications", views_applications.ApplicationViewSet, basename="application")

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("docs/", docs.OfflineSwaggerView.as_view(), name="docs"),
    path("docs/assets/<str:name>", docs.swagger_asset, name="docs-asset"),
    path("me/", views.MeView.as_view(), name="me"),
    path("evaluations/", views.EvaluationRunView.as_view(), name="evaluations"),
    path("immediate-demotions/", views.ImmediateDemotionView.as_view(), name="immediate-demotions"),
    path("imports/<str:kind>/", views.ImportView.as_view(), name="imports"),
    path("reassignment-cases/", views.ReassignmentCaseView.as_view(), name="reassignment-cases"),
    path("reports/", views_reports.ReportListView.as_view(), name="reports"),
    path("reports/whatif/", views_reports.WhatIfView.as_view(), name="whatif"),
    path("reports/<str:name>/", views_reports.ReportView.as_view(), name="report"),
    path("reassignment-cases/<int:pk>/close/", views.ReassignmentCloseView.as_view(), name="reassignment-close"),
    path("", include(router.urls)),
    # Keep last: any other path names no endpoint — a JSON 404, not the web's HTML page.
    re_path(r"^", errors.unknown_endpoint, name="unknown"),
]
