"""Authority-matrix probes of the career-development rights (SPEC 5, 2.6), registered into
authority_probes.PROBES: each calls the real service, selector or page as `user` about `target`."""

from __future__ import annotations

from datetime import date

from authority_probes import World, http_ok, probe, refused_unless
from bureau import make_employee

from jinjie.assessments.schemes import scheme_create_draft
from jinjie.development.models import (
    CareerTalk,
    DevelopmentPlan,
    FavourList,
    Mentorship,
    PlanVersion,
    Question,
    Survey,
    SurveyState,
    TalkNote,
)
from jinjie.development.selectors.favour import favour_list_get
from jinjie.development.selectors.mentors import mentee_view
from jinjie.development.selectors.plans import plan_employee
from jinjie.development.selectors.talks import talk_get
from jinjie.development.services import (
    favour_draw,
    favour_freeze,
    mentorship_create,
    plan_comment,
    plan_save,
    portal_page_save,
    survey_answer,
    survey_create,
    talk_acknowledge,
    talk_record,
)
from jinjie.org.models import User
from jinjie.people.models import Employee
from jinjie.rulebooks.models import RuleBook
from jinjie.rules.ladder import TRACKS
from jinjie.rules.scheme import DEFAULT_SCHEMES


def _talk(target: Employee, by: User, note: str = "") -> CareerTalk:
    talk = CareerTalk.objects.create(employee=target, date=date(2026, 10, 1), participants="人事", topics="谈话", recorded_by=by)
    if note:
        TalkNote.objects.create(talk=talk, text=note)
    return talk


def _survey(unit, by: User) -> Survey:
    survey = Survey.objects.create(title="探测", org_unit=unit, tracks=list(TRACKS), opens=date(2026, 10, 1),
                                   closes=date(2026, 10, 31), state=SurveyState.OPEN, created_by=by)
    Question.objects.create(survey=survey, position=1, kind="scale", text="满意吗")
    return survey


def _favour(unit, by: User) -> FavourList:
    from django.utils import timezone

    return FavourList.objects.create(year=2025, kind="评先", org_unit=unit, rulebook=RuleBook.objects.first(),
                                     drawn_at=timezone.now(), drawn_by=by)


@probe("portal.read")
def _portal_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.web(user).get("/portal/"))


@probe("portal.edit")
def _portal_edit(w: World, user: User, target: Employee) -> None:
    portal_page_save(actor=user, slug="probe", title="探测", body="正文", effective_from="2026-10-01", org_unit=target.org_unit)


@probe("plans.read")
def _plans_read(w: World, user: User, target: Employee) -> None:
    refused_unless(plan_employee(user=user, pk=target.pk) is not None, "not found")


@probe("plans.edit")
def _plans_edit(w: World, user: User, target: Employee) -> None:
    plan_save(employee=target, actor=user, goals="探测")


@probe("plans.comment")
def _plans_comment(w: World, user: User, target: Employee) -> None:
    plan, _ = DevelopmentPlan.objects.get_or_create(employee=target)
    PlanVersion.objects.get_or_create(plan=plan, number=1, defaults={"goals": "目标", "saved_by": user})
    plan_comment(employee=target, actor=user, text="点评")


@probe("talks.record")
def _talks_record(w: World, user: User, target: Employee) -> None:
    talk_record(employee=target, actor=user, date="2026-10-01", participants="人事", topics="谈话")


@probe("talks.read")
def _talks_read(w: World, user: User, target: Employee) -> None:
    refused_unless(talk_get(user=user, pk=_talk(target, user).pk) is not None, "not found")


@probe("talks.read_confidential")
def _talks_read_confidential(w: World, user: User, target: Employee) -> None:
    view = talk_get(user=user, pk=_talk(target, user, note="保密").pk)
    refused_unless(view is not None and view.note == "保密", "no note")


@probe("talks.acknowledge")
def _talks_acknowledge(w: World, user: User, target: Employee) -> None:
    talk_acknowledge(talk=_talk(target, user), actor=user)


@probe("mentorships.manage")
def _mentorships_manage(w: World, user: User, target: Employee) -> None:
    mentor = Employee.objects.filter(employee_no=f"M{target.pk}").first() or make_employee(
        target.org_unit, f"M{target.pk}", "导师", current_rank="中级B"
    )
    mentorship_create(mentor=mentor, mentee=target, start_date="2026-10-01", end_date="2027-09-30", goals="目标", actor=user)


@probe("mentorships.mentor")
def _mentorships_mentor(w: World, user: User, target: Employee) -> None:
    # Being a mentor is no role: whoever mentors an active pairing reads their mentee.
    mentee = target if target.pk != user.employee_id else w.outside
    pairing = Mentorship.objects.create(mentor_id=user.employee_id, mentee=mentee, start_date=date(2026, 9, 1),
                                        end_date=date(2027, 8, 31), goals="目标", created_by=user)
    mentee_view(user=user, mentorship=pairing)


@probe("surveys.manage")
def _surveys_manage(w: World, user: User, target: Employee) -> None:
    survey_create(actor=user, title="探测", org_unit=target.org_unit, tracks=["客户经理"], opens="2026-10-01",
                  closes="2026-10-31", questions=[{"kind": "scale", "text": "满意吗"}])


@probe("surveys.answer")
def _surveys_answer(w: World, user: User, target: Employee) -> None:
    survey = _survey(w.city_of(target), user)
    survey_answer(survey=survey, actor=user, answers={survey.questions.get().pk: "4"})


@probe("surveys.results")
def _surveys_results(w: World, user: User, target: Employee) -> None:
    http_ok(w.web(user).get(f"/surveys/{_survey(target.org_unit, user).pk}/results/"))


@probe("schemes.read")
def _schemes_read(w: World, user: User, target: Employee) -> None:
    http_ok(w.web(user).get("/schemes/"))


@probe("schemes.edit")
def _schemes_edit(w: World, user: User, target: Employee) -> None:
    scheme_create_draft(track="客户经理", items=DEFAULT_SCHEMES["客户经理"], effective_from=date(2027, 1, 1), actor=user)


@probe("favour.read")
def _favour_read(w: World, user: User, target: Employee) -> None:
    refused_unless(favour_list_get(user=user, pk=_favour(target.org_unit, user).pk) is not None, "not found")


@probe("favour.draw")
def _favour_draw(w: World, user: User, target: Employee) -> None:
    favour_draw(year=2025, kind="评先", org_unit=target.org_unit, actor=user)


@probe("favour.freeze")
def _favour_freeze(w: World, user: User, target: Employee) -> None:
    favour_freeze(favour_list=_favour(target.org_unit, user), actor=user)


