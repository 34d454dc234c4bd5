from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import docs, views, views_selections
from .token import ObtainTokenView

app_name = "api"

router = SimpleRouter()
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("selections", views_selections.SelectionViewSet, basename="selection")

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("docs/", docs.OfflineSwaggerView.as_view(), name="docs"),
    path("docs/assets/<str:name>", docs.swagger_asset, name="docs-asset"),
    path("me/", views.MeView.as_view(), name="me"),
    path("evaluations/", views.EvaluationRunView.as_view(), name="evaluations"),
    path("immediate-demotions/", views.ImmediateDemotionView.as_view(), name="immediate-demotions"),
    path("imports/<str:kind>/", views.ImportView.as_view(), name="imports"),
    path("reassignment-cases/", views.ReassignmentCaseView.as_view(), name="reassignment-cases"),
    path("", include(router.urls)),
]
