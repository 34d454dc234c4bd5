"""API of the career-development channel (SPEC 5, 2.6): thin views over development's services and
selectors, each naming its right in the one authority. Reads are scoped by the selectors (another
unit's or another employee's object is a 404); talks are read through talks_for, so a 保密 note
reaches HR only."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from jinjie.assessments.models import AssessmentScheme, SchemeStatus
from jinjie.assessments.schemes import scheme_create_draft, scheme_publish
from jinjie.core.errors import DomainError
from jinjie.development.selectors.favour import favour_list_get, favour_lists_for
from jinjie.development.selectors.mentors import mentee_view, mentorship_get, mentorships_for
from jinjie.development.selectors.plans import current_version, plan_comments, plan_employee, plan_versions
from jinjie.development.selectors.surveys import (
    survey_for_answering,
    survey_get_managed,
    survey_results,
    surveys_managed,
    surveys_to_answer,
)
from jinjie.development.selectors.talks import talk_get, talks_for
from jinjie.development.services import (
    favour_draw,
    favour_freeze,
    meeting_record,
    mentorship_create,
    plan_add_gap_actions,
    plan_comment,
    plan_save,
    rating_submit,
    survey_answer,
    survey_close,
    survey_create,
    survey_open,
    talk_acknowledge,
    talk_record,
)
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from . import serializers_development as d
from .views import ApiMixin, int_or_404, scoped_org_unit, valid_input

TAG = ["职业发展"]


class MethodRights:
    # A GET and a POST on one path need different rights: `rights_by_action` keyed by the method,
    # read by api.permissions.AuthorityPermission before anything runs.

    def initial(self, request, *args, **kwargs):
        self.action = request.method.lower()
        super().initial(request, *args, **kwargs)


def _scoped_employee(user, number: str) -> Employee:
    employee = scope_employees(user, Employee.objects.select_related("org_unit")).filter(employee_no=number.strip()).first()
    if employee is None:
        raise Http404(f"工号“{number}”不存在或不在您的数据范围内")
    return employee


# --- plans ---------------------------------------------------------------------------------------


def _plan_body(employee):
    return {
        "employee_no": employee.employee_no, "name": employee.name, "current": current_version(employee=employee),
        "versions": plan_versions(employee=employee), "comments": plan_comments(employee=employee),
    }


class _PlanMixin:
    def employee(self, request, pk):
        employee = plan_employee(user=request.user, pk=int_or_404(pk))
        if employee is None:
            raise Http404("没有找到该员工的个人发展计划，或不在您的范围内")
        return employee


@extend_schema(tags=TAG)
class PlanView(MethodRights, ApiMixin, _PlanMixin, APIView):
    rights = ("plans.read", "mentorships.mentor")
    rights_by_action = {"post": ("plans.edit",)}

    @extend_schema(summary="个人发展计划：现行版本、全部版本与点评(员工编号为路径参数)", responses=d.PlanSerializer)
    def get(self, request, pk):
        return Response(d.PlanSerializer(_plan_body(self.employee(request, pk))).data)

    @extend_schema(summary="保存计划(生成新版本；本人或人事劳资)", request=d.PlanInputSerializer, responses={201: d.PlanSerializer})
    def post(self, request, pk):
        employee = self.employee(request, pk)
        data = valid_input(d.PlanInputSerializer, request.data)
        plan_save(employee=employee, actor=request.user, **data)
        return Response(d.PlanSerializer(_plan_body(employee)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class PlanGapView(ApiMixin, _PlanMixin, APIView):
    rights = ("plans.edit",)

    @extend_schema(summary="把晋升差距中未满足的条件加入计划(生成新版本)", request=None, responses={201: d.PlanSerializer})
    def post(self, request, pk):
        employee = self.employee(request, pk)
        plan_add_gap_actions(employee=employee, actor=request.user)
        return Response(d.PlanSerializer(_plan_body(employee)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class PlanCommentView(ApiMixin, _PlanMixin, APIView):
    rights = ("plans.comment", "mentorships.mentor")

    @extend_schema(summary="点评计划(导师、分局(公司)领导、人事劳资)", request=d.CommentInputSerializer, responses={201: d.PlanCommentSerializer})
    def post(self, request, pk):
        employee = self.employee(request, pk)
        data = valid_input(d.CommentInputSerializer, request.data)
        comment = plan_comment(employee=employee, actor=request.user, text=data["text"])
        return Response(d.PlanCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- talks ---------------------------------------------------------------------------------------


@extend_schema(tags=TAG)
class TalkListView(MethodRights, ApiMixin, APIView):
    rights = ("talks.read", "talks.record")
    rights_by_action = {"post": ("talks.record",)}

    @extend_schema(summary="职业规划谈话(保密记录仅人事劳资可见)", responses=d.TalkSerializer(many=True))
    def get(self, request):
        return Response(d.TalkSerializer(talks_for(user=request.user), many=True).data)

    @extend_schema(summary="记录谈话(人事劳资、分局(公司)领导)", request=d.TalkInputSerializer, responses={201: d.TalkSerializer})
    def post(self, request):
        data = valid_input(d.TalkInputSerializer, request.data)
        employee = _scoped_employee(request.user, data.pop("employee_no"))
        talk = talk_record(employee=employee, actor=request.user, **data)
        return Response(d.TalkSerializer(talk_get(user=request.user, pk=talk.pk)).data, status=status.HTTP_201_CREATED)


def _talk(request, pk):
    view = talk_get(user=request.user, pk=int_or_404(pk))
    if view is None:
        raise Http404("没有找到该谈话记录，或不在您的范围内")
    return view


@extend_schema(tags=TAG)
class TalkDetailView(ApiMixin, APIView):
    rights = ("talks.read",)

    @extend_schema(summary="一次谈话", responses=d.TalkSerializer)
    def get(self, request, pk):
        return Response(d.TalkSerializer(_talk(request, pk)).data)


@extend_schema(tags=TAG)
class TalkAcknowledgeView(ApiMixin, APIView):
    rights = ("talks.acknowledge",)

    @extend_schema(summary="员工确认已阅", request=None, responses=d.TalkSerializer)
    def post(self, request, pk):
        talk_acknowledge(talk=_talk(request, pk).talk, actor=request.user)
        return Response(d.TalkSerializer(_talk(request, pk)).data)


# --- mentorships ---------------------------------------------------------------------------------


@extend_schema(tags=TAG)
class MentorshipListView(MethodRights, ApiMixin, APIView):
    rights = ("mentorships.manage", "mentorships.mentor")
    rights_by_action = {"post": ("mentorships.manage",)}

    @extend_schema(summary="导师结对(人事劳资：本单位的；其他人：本人参与的)", responses=d.MentorshipSerializer(many=True))
    def get(self, request):
        return Response(d.MentorshipSerializer(mentorships_for(user=request.user).order_by("-start_date", "-id")[:500], many=True).data)

    @extend_schema(summary="安排导师(人事劳资)", request=d.MentorshipInputSerializer, responses={201: d.MentorshipSerializer})
    def post(self, request):
        data = valid_input(d.MentorshipInputSerializer, request.data)
        m = mentorship_create(
            mentor=_scoped_employee(request.user, data["mentor_no"]), mentee=_scoped_employee(request.user, data["mentee_no"]),
            start_date=data["start_date"], end_date=data["end_date"], goals=data["goals"], actor=request.user,
        )
        return Response(d.MentorshipSerializer(m).data, status=status.HTTP_201_CREATED)


def _mentorship(request, pk):
    m = mentorship_get(user=request.user, pk=int_or_404(pk))
    if m is None:
        raise Http404("没有找到该结对，或不在您的范围内")
    return m


@extend_schema(tags=TAG)
class MentorshipDetailView(ApiMixin, APIView):
    rights = ("mentorships.manage", "mentorships.mentor")

    @extend_schema(summary="一个结对", responses=d.MentorshipSerializer)
    def get(self, request, pk):
        return Response(d.MentorshipSerializer(_mentorship(request, pk)).data)


@extend_schema(tags=TAG)
class MenteeView(ApiMixin, APIView):
    rights = ("mentorships.mentor",)

    @extend_schema(summary="导师查看学员：职级、差距与计划(仅结对期内)", responses=d.MenteeSerializer)
    def get(self, request, pk):
        return Response(d.MenteeSerializer(mentee_view(user=request.user, mentorship=_mentorship(request, pk))).data)


@extend_schema(tags=TAG)
class MeetingView(ApiMixin, APIView):
    rights = ("mentorships.mentor",)

    @extend_schema(summary="导师记录带教", request=d.MeetingInputSerializer, responses={201: d.MentorMeetingSerializer})
    def post(self, request, pk):
        data = valid_input(d.MeetingInputSerializer, request.data)
        meeting = meeting_record(mentorship=_mentorship(request, pk), actor=request.user, **data)
        return Response(d.MentorMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class RatingView(ApiMixin, APIView):
    rights = ("mentorships.mentor",)

    @extend_schema(summary="结对结束后评价(导师、学员各一次，1–5 分)", request=d.RatingInputSerializer, responses={201: d.RatingSerializer})
    def post(self, request, pk):
        data = valid_input(d.RatingInputSerializer, request.data)
        rating = rating_submit(mentorship=_mentorship(request, pk), actor=request.user, **data)
        return Response(d.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


# --- surveys -------------------------------------------------------------------------------------


@extend_schema(tags=TAG)
class SurveyListView(MethodRights, ApiMixin, APIView):
    rights = ("surveys.manage", "surveys.answer")
    rights_by_action = {"post": ("surveys.manage",)}

    @extend_schema(summary="调查：人事劳资管理的，以及本人待填写的", responses=d.SurveySerializer(many=True))
    def get(self, request):
        managed = list(surveys_managed(user=request.user).prefetch_related("questions")[:200])
        seen = {s.pk for s in managed}
        mine = [s for s, _ in surveys_to_answer(user=request.user) if s.pk not in seen]
        return Response(d.SurveySerializer(managed + mine, many=True).data)

    @extend_schema(summary="新建调查(草稿；人事劳资)", request=d.SurveyInputSerializer, responses={201: d.SurveySerializer})
    def post(self, request):
        data = valid_input(d.SurveyInputSerializer, request.data)
        unit = scoped_org_unit(request.user, data.pop("org", None))
        if unit is None:
            raise DomainError("请用 org 指定调查范围")
        survey = survey_create(actor=request.user, org_unit=unit, **data)
        return Response(d.SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


def _managed(request, pk):
    survey = survey_get_managed(user=request.user, pk=int_or_404(pk))
    if survey is None:
        raise Http404("没有找到该调查")
    return survey


@extend_schema(tags=TAG)
class SurveyStateView(ApiMixin, APIView):
    rights = ("surveys.manage",)

    @extend_schema(summary="发布或结束调查", request=d.SurveyStateInputSerializer, responses=d.SurveySerializer)
    def post(self, request, pk):
        survey = _managed(request, pk)
        action = valid_input(d.SurveyStateInputSerializer, request.data)["action"]
        survey = (survey_open if action == "open" else survey_close)(survey=survey, actor=request.user)
        return Response(d.SurveySerializer(survey).data)


@extend_schema(tags=TAG)
class SurveyAnswerView(ApiMixin, APIView):
    rights = ("surveys.answer",)

    @extend_schema(summary="匿名填写调查(每人一次)", request=d.AnswerInputSerializer, responses={201: d.AnswerResultSerializer})
    def post(self, request, pk):
        found = survey_for_answering(user=request.user, pk=int_or_404(pk))
        if found is None:
            raise Http404("没有找到该调查，或您不在调查范围内、不在填写期内")
        data = valid_input(d.AnswerInputSerializer, request.data)
        stored = survey_answer(survey=found[0], actor=request.user, answers=data["answers"])
        return Response({"stored": stored}, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class SurveyResultsView(ApiMixin, APIView):
    rights = ("surveys.results",)

    @extend_schema(summary="调查结果：按题目、单位、岗位序列汇总(不足 5 人不予显示)", responses=d.QuestionResultSerializer(many=True))
    def get(self, request, pk):
        return Response(d.QuestionResultSerializer(survey_results(survey=_managed(request, pk)), many=True).data)


# --- schemes -------------------------------------------------------------------------------------


@extend_schema(tags=TAG)
class SchemeListView(MethodRights, ApiMixin, APIView):
    rights = ("schemes.read",)
    rights_by_action = {"post": ("schemes.edit",)}

    @extend_schema(summary="考核方案(已发布的；人事劳资另含草稿)", responses=d.SchemeSerializer(many=True))
    def get(self, request):
        qs = AssessmentScheme.objects.order_by("track", "-version")  # schemes are the bureau's, not a unit's
        if not authority.allows(request.user, "schemes.edit"):
            qs = qs.filter(status=SchemeStatus.PUBLISHED)
        return Response(d.SchemeSerializer(qs, many=True).data)

    @extend_schema(summary="起草考核方案新版本(人事劳资)", request=d.SchemeInputSerializer, responses={201: d.SchemeSerializer})
    def post(self, request):
        data = valid_input(d.SchemeInputSerializer, request.data)
        scheme = scheme_create_draft(
            track=data["track"], items=[dict(i) for i in data["items"]], effective_from=data["effective_from"],
            note=data["note"], actor=request.user,
        )
        return Response(d.SchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class SchemePublishView(ApiMixin, APIView):
    rights = ("schemes.edit",)

    @extend_schema(summary="发布考核方案草稿", request=None, responses=d.SchemeSerializer)
    def post(self, request, pk):
        scheme = AssessmentScheme.objects.filter(pk=int_or_404(pk)).first()
        if scheme is None:
            raise Http404("没有找到该考核方案")
        return Response(d.SchemeSerializer(scheme_publish(scheme=scheme, actor=request.user)).data)


# --- favour lists --------------------------------------------------------------------------------


@extend_schema(tags=TAG)
class FavourListView(MethodRights, ApiMixin, APIView):
    rights = ("favour.read", "favour.draw")
    rights_by_action = {"post": ("favour.draw",)}

    @extend_schema(summary="评先/外派学习/推荐干部名单", responses=d.FavourListSerializer(many=True))
    def get(self, request):
        return Response(d.FavourListSerializer(favour_lists_for(user=request.user)[:500], many=True).data)

    @extend_schema(summary="生成(或重新生成未冻结的)名单(人事劳资)", request=d.FavourDrawInputSerializer, responses={201: d.FavourListDetailSerializer})
    def post(self, request):
        data = valid_input(d.FavourDrawInputSerializer, request.data)
        unit = scoped_org_unit(request.user, data.get("org"))
        if unit is None:
            raise DomainError("请用 org 指定单位")
        drawn = favour_draw(year=data["year"], kind=data["kind"], org_unit=unit, actor=request.user)
        return Response(d.FavourListDetailSerializer(drawn).data, status=status.HTTP_201_CREATED)


def _favour(request, pk):
    found = favour_list_get(user=request.user, pk=int_or_404(pk))
    if found is None:
        raise Http404("没有找到该名单")
    return found


@extend_schema(tags=TAG)
class FavourDetailView(ApiMixin, APIView):
    rights = ("favour.read",)

    @extend_schema(summary="一份名单：排名与未列入的人员及原因", responses=d.FavourListDetailSerializer)
    def get(self, request, pk):
        return Response(d.FavourListDetailSerializer(_favour(request, pk)).data)


@extend_schema(tags=TAG)
class FavourFreezeView(ApiMixin, APIView):
    rights = ("favour.freeze",)

    @extend_schema(summary="冻结名单(冻结后不再变化)", request=None, responses=d.FavourListSerializer)
    def post(self, request, pk):
        return Response(d.FavourListSerializer(favour_freeze(favour_list=_favour(request, pk), actor=request.user)).data)
