from django.urls import path

from .views import auth, decisions, home, imports, notices, people, periods, proposals, reassign, rulebooks

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("me/", people.career, name="career"),
    path("periods/", periods.periods, name="periods"),
    path("periods/submit/", decisions.period_submit_view, name="period_submit"),
    path("proposals/", proposals.proposals, name="proposals"),
    path("proposals/batch/", decisions.proposals_batch, name="proposals_batch"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/decide/", decisions.proposal_decide_view, name="proposal_decide"),
    path("notices/", notices.notices, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/pdf/", notices.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/objections/", notices.objection_new, name="objection_new"),
    path("objections/", notices.objections, name="objections"),
    path("objections/<int:pk>/resolve/", notices.objection_resolve_view, name="objection_resolve"),
    path("employees/", people.employees, name="employees"),
    path("employees/<int:pk>/", people.employee_detail, name="employee"),
    path("employees/<int:pk>/reveal-id/", people.employee_reveal, name="employee_reveal"),
    path("employees/<int:pk>/demote/", decisions.immediate_demotion_view, name="immediate_demotion"),
    path(
        "employees/<int:pk>/qualifications/<int:qid>/correct/", people.qualification_correct_view,
        name="qualification_correct",
    ),
    path("reassignments/", reassign.reassignments, name="reassignments"),
    path("rulebooks/", rulebooks.rulebooks, name="rulebooks"),
    path("rulebooks/<int:pk>/", rulebooks.rulebook_detail, name="rulebook"),
    path("rulebooks/<int:pk>/edit/", rulebooks.rulebook_edit, name="rulebook_edit"),
    path("rulebooks/<int:pk>/publish/", rulebooks.rulebook_publish_view, name="rulebook_publish"),
    path("rulebooks/new/<str:kind>/", rulebooks.rulebook_new, name="rulebook_new"),
    path("rulebooks/check/<str:kind>/", rulebooks.rulebook_check, name="rulebook_check"),
    path("imports/", imports.imports, name="imports"),
    path("imports/confirm/", imports.import_confirm, name="import_confirm"),
]
