"""API of 申报 (SPEC 3.1): rounds and applications. Thin: validate, call one service or selector,
serialize. A row outside the caller's scope is 404; a role that may not is 403 before anything
runs; a refusal of the service is a 400 with the Chinese `detail` (api.errors)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.selectors import (
    application_get,
    applications_for,
    round_counts,
    round_get,
    round_status,
    visible_rounds,
)
from jinjie.applications.services import (
    application_apply,
    application_review,
    application_withdraw,
    round_close,
    round_open,
)
from jinjie.approvals import clock
from jinjie.org.scoping import can_see_org_unit, scope_employees
from jinjie.org.selectors import org_unit_at
from jinjie.people.models import Employee

from . import serializers_applications as s
from .views import ApiMixin, int_or_404, valid_input, valid_query

PK = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _round_context(user, rounds) -> dict:
    today = clock.today()
    return {"status": lambda r: round_status(r, today)[0], "counts": round_counts([r.pk for r in rounds], user=user)}


def _visible_round(user, pk) -> ApplicationRound:
    try:
        return round_get(pk=int_or_404(pk), user=user)
    except ApplicationRound.DoesNotExist:
        raise Http404("没有找到该申报批次，或不在您的数据范围内") from None


@extend_schema(tags=["专卖管理员等级申报"])
class ApplicationRoundViewSet(ApiMixin, viewsets.GenericViewSet):
    rights = ("rounds.read",)
    rights_by_action = {"create": ("rounds.manage",), "close": ("rounds.manage",)}
    serializer_class = s.RoundSerializer

    def _body(self, rounds, *, many: bool):
        rounds = list(rounds) if many else [rounds]
        data = s.RoundSerializer(rounds, many=True, context=_round_context(self.request.user, rounds)).data
        return data if many else data[0]

    @extend_schema(summary="申报批次列表(本单位及上级单位的、下级单位的)", responses=s.RoundSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(visible_rounds(user=request.user))
        return self.get_paginated_response(self._body(page, many=True))

    @extend_schema(summary="一个申报批次及各状态人数", parameters=[PK], responses=s.RoundSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._body(_visible_round(request.user, pk), many=False))

    @extend_schema(summary="发起申报批次(人事劳资)", request=s.RoundInputSerializer, responses={201: s.RoundSerializer})
    def create(self, request):
        data = valid_input(s.RoundInputSerializer, request.data)
        unit = org_unit_at(data["org"])
        if unit is None or not can_see_org_unit(request.user, unit):
            raise Http404("没有找到该单位，或不在您的数据范围内")
        created = round_open(
            actor=request.user, title=data["title"], org_unit=unit, levels=data["levels"], opens=data["opens"],
            closes=data["closes"], check_date=data.get("check_date"),
        )
        return Response(self._body(created, many=False), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="截止申报并进行资格审查(人事劳资；可提前截止)", parameters=[PK], request=None,
        responses=s.CloseResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        result = round_close(actor=request.user, round=_visible_round(request.user, pk))
        body = {"round": self._body(result.round, many=False), "checked": result.checked, "ineligible": result.ineligible}
        return Response(body)


@extend_schema(tags=["专卖管理员等级申报"])
class ApplicationViewSet(ApiMixin, viewsets.GenericViewSet):
    rights = ("applications.read",)
    rights_by_action = {
        "create": ("applications.apply",),
        "withdraw": ("applications.withdraw",),
        "review": ("applications.review",),
    }
    serializer_class = s.ApplicationSerializer

    def _get(self, pk) -> Application:
        try:
            return application_get(pk=int_or_404(pk), user=self.request.user)
        except Application.DoesNotExist:
            raise Http404("没有找到该申报，或不在您的数据范围内") from None

    def _answer(self, application: Application, code=status.HTTP_200_OK) -> Response:
        return Response(s.ApplicationSerializer(self._get(application.pk)).data, status=code)

    @extend_schema(summary="申报列表(员工：本人的；其他角色：数据范围内的)", parameters=[s.ApplicationFilterSerializer],
                   responses=s.ApplicationSerializer(many=True))
    def list(self, request):
        f = valid_query(s.ApplicationFilterSerializer, request)
        qs = applications_for(user=request.user, status=f.get("state")).select_related("rulebook")
        if "round" in f:
            qs = qs.filter(round_id=f["round"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ApplicationSerializer(page, many=True).data)

    @extend_schema(summary="一份申报：资格审查结果、评审认定与状态", parameters=[PK], responses=s.ApplicationSerializer)
    def retrieve(self, request, pk=None):
        return Response(s.ApplicationSerializer(self._get(pk)).data)

    @extend_schema(
        summary="申报下一等级(员工本人：{round, level}；人事劳资代为申报：{round, employee_no, level})",
        request=s.ApplyInputSerializer, responses={201: s.ApplicationSerializer},
    )
    def create(self, request):
        data = valid_input(s.ApplyInputSerializer, request.data)
        r = _visible_round(request.user, data["round"])
        number = (data.get("employee_no") or "").strip()
        if number:
            employee = scope_employees(request.user, Employee.objects.all()).filter(employee_no=number).first()
        else:
            employee = Employee.objects.filter(pk=request.user.employee_id).first() if request.user.employee_id else None
        if employee is None:
            raise Http404("没有找到该员工，或不在您的数据范围内（代为申报请填写 employee_no）")
        created = application_apply(actor=request.user, round=r, employee=employee, level=data.get("level"))
        return self._answer(created, status.HTTP_201_CREATED)

    @extend_schema(summary="撤回申报(申报截止前)", parameters=[PK], request=None, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(application_withdraw(actor=request.user, application=self._get(pk)))

    @extend_schema(
        summary="评审认定(专卖监督管理科)：逐项符合/不符合；全部符合则提交审批",
        parameters=[PK], request=s.ReviewInputSerializer, responses=s.ApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        application = self._get(pk)
        data = valid_input(s.ReviewInputSerializer, request.data)
        done = application_review(actor=request.user, application=application, items=data["items"], comment=data["comment"])
        return self._answer(done)
