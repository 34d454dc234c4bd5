from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import docs, errors, views, views_applications, views_reports, views_selections
from . import views_development as dev
from .token import ObtainTokenView

app_name = "api"

router = SimpleRouter()
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("application-rounds", views_applications.ApplicationRoundViewSet, basename="application-round")
router.register("applications", views_applications.ApplicationViewSet, basename="application")
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
    path("reports/", views_reports.ReportListView.as_view(), name="reports"),
    path("reports/whatif/", views_reports.WhatIfView.as_view(), name="whatif"),
    path("reports/<str:name>/", views_reports.ReportView.as_view(), name="report"),
    path("reassignment-cases/<int:pk>/close/", views.ReassignmentCloseView.as_view(), name="reassignment-close"),
    path("plans/<str:pk>/", dev.PlanView.as_view(), name="plan"),
    path("plans/<str:pk>/gap-actions/", dev.PlanGapView.as_view(), name="plan-gap-actions"),
    path("plans/<str:pk>/comments/", dev.PlanCommentView.as_view(), name="plan-comments"),
    path("talks/", dev.TalkListView.as_view(), name="talks"),
    path("talks/<str:pk>/", dev.TalkDetailView.as_view(), name="talk"),
    path("talks/<str:pk>/acknowledge/", dev.TalkAcknowledgeView.as_view(), name="talk-acknowledge"),
    path("mentorships/", dev.MentorshipListView.as_view(), name="mentorships"),
    path("mentorships/<str:pk>/", dev.MentorshipDetailView.as_view(), name="mentorship"),
    path("mentorships/<str:pk>/mentee/", dev.MenteeView.as_view(), name="mentorship-mentee"),
    path("mentorships/<str:pk>/meetings/", dev.MeetingView.as_view(), name="mentorship-meetings"),
    path("mentorships/<str:pk>/ratings/", dev.RatingView.as_view(), name="mentorship-ratings"),
    path("surveys/", dev.SurveyListView.as_view(), name="surveys"),
    path("surveys/<str:pk>/state/", dev.SurveyStateView.as_view(), name="survey-state"),
    path("surveys/<str:pk>/answers/", dev.SurveyAnswerView.as_view(), name="survey-answers"),
    path("surveys/<str:pk>/results/", dev.SurveyResultsView.as_view(), name="survey-results"),
    path("schemes/", dev.SchemeListView.as_view(), name="schemes"),
    path("schemes/<str:pk>/publish/", dev.SchemePublishView.as_view(), name="scheme-publish"),
    path("favour-lists/", dev.FavourListView.as_view(), name="favour-lists"),
    path("favour-lists/<str:pk>/", dev.FavourDetailView.as_view(), name="favour-list"),
    path("favour-lists/<str:pk>/freeze/", dev.FavourFreezeView.as_view(), name="favour-list-freeze"),
    path("", include(router.urls)),
    # Keep last: any other path names no endpoint — a JSON 404, not the web's HTML page.
    re_path(r"^", errors.unknown_endpoint, name="unknown"),
]
