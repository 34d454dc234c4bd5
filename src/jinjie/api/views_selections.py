"""The 竞聘 API (/api/selections/…): every step of SPEC 4 — create, publish, apply, review, scores,
judges' sheets, ballots, complete a stage, ranking, inspections, decide, notice — each a thin view
over one service or selector, with the same rights and scoping as the pages (org.authority,
jinjie.selections.selectors): another unit's selection is "not found", a role without the right 403.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from jinjie.core.values import plain_decimal
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee
from jinjie.selections import services as sv
from jinjie.selections.models import Selection
from jinjie.selections.selectors import (
    applicant_view,
    dossier,
    dossier_selection,
    judge_sheet,
    judged_by,
    selections_for,
    visible_selection,
)

from . import serializers_selections as s
from .views import ApiMixin, int_or_404, scoped_org_unit, valid_input

TAG = ["竞聘上岗"]
APP_PARAM = OpenApiParameter("application", int, OpenApiParameter.PATH, description="报名 id")


def _text(value) -> str | None:
    return None if value is None else str(plain_decimal(value))


def ranking_of(d) -> list[dict]:
    board = d.board
    apps = {a.pk: a for a in board.applications}
    titles = {p.pk: p.title for p in board.posts}
    return [
        {
            "application": st.key, "post": titles[st.post], "employee_no": apps[st.key].employee.employee_no,
            "name": apps[st.key].employee.name, "written": _text(st.written), "speech": _text(st.speech),
            "democratic": _text(st.democratic), "total": _text(st.total), "position": st.position, "inspect": st.inspect,
            "conclusion": board.conclusion(st.key), "note": st.note,
        }
        for st in board.standings
    ]


class SelectionViewSet(ApiMixin, viewsets.GenericViewSet):
    queryset = Selection.objects.none()  # the reads are the selectors below
    serializer_class = s.SelectionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    rights_by_action = {
        "list": ("selections.browse",),
        "create": ("selections.manage",),
        "retrieve": ("selections.read",),
        "partial_update": ("selections.manage",),
        "posting": ("selections.browse",),
        "publish": ("selections.manage",),
        "close": ("selections.manage",),
        "cancel": ("selections.manage",),
        "applications": ("selections.apply", "selections.read"),
        "withdraw": ("selections.apply",),
        "review": ("selections.score",),
        "exceptions": ("selections.score",),
        "judges": ("selections.manage",),
        "recusals": ("selections.manage",),
        "scores": ("selections.score",),
        "sheet": ("selections.judge",),
        "ballots": ("selections.score",),
        "complete": ("selections.manage",),
        "ranking": ("selections.read",),
        "inspect": ("selections.manage",),
        "inspections": ("selections.score",),
        "decide": ("selections.decide",),
        "notice": ("selections.notice",),
        "settle": ("selections.manage",),
    }

    # -- lookups ---------------------------------------------------------------------------------

    def dossier_object(self) -> Selection:
        found = dossier_selection(self.request.user, int_or_404(self.kwargs["pk"]))
        if found is None:
            raise Http404("没有找到该竞聘，或不在您的数据范围内")
        return found

    def visible_object(self) -> Selection:
        found = visible_selection(self.request.user, int_or_404(self.kwargs["pk"]))
        if found is None:
            raise Http404("没有找到该竞聘，或不在您的数据范围内")
        return found

    def dossier_body(self, selection: Selection) -> dict:
        d = dossier(selection, user=self.request.user)
        return {
            "selection": selection, "criteria": selection.criteria, "scheme": selection.scheme,
            "applications": d.applications, "judges": d.judges, "ranking": ranking_of(d),
            "sheets_visible": d.sheets_visible, "decision": d.decision, "notice": selection.notice_id,
            "transitions": d.transitions, "_exceptions": {x.application_id: x for x in d.exceptions},
        }

    def dossier_response(self, selection: Selection, code=status.HTTP_200_OK) -> Response:
        body = self.dossier_body(selection)
        context = {"exceptions": body.pop("_exceptions")}
        data = s.DossierSerializer(body, context=context).data
        return Response(data, status=code)

    # -- list, create, read, edit --------------------------------------------------------------------

    @extend_schema(tags=TAG, summary="竞聘列表(本人可见的)", responses=s.SelectionSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(selections_for(request.user).prefetch_related("posts"))
        return self.get_paginated_response(s.SelectionSerializer(page, many=True).data)

    @extend_schema(tags=TAG, summary="起草竞聘(人事)", request=s.SelectionCreateSerializer, responses={201: s.DossierSerializer})
    def create(self, request):
        data = valid_input(s.SelectionCreateSerializer, request.data)
        unit = scoped_org_unit(request.user, data.pop("org", None))
        if unit is None:
            raise Http404("请用 org 指定组织单位")
        selection = sv.selection_create(
            actor=request.user, org_unit=unit, title=data["title"], deadline=data["deadline"],
            posts=[dict(p) for p in data["posts"]], code=data.get("code") or None, description=data.get("description", ""),
            criteria=data.get("criteria"), scheme=data.get("scheme"), notice_days=data["notice_days"],
        )
        return self.dossier_response(selection, status.HTTP_201_CREATED)

    @extend_schema(tags=TAG, summary="竞聘纪实：方案、报名、成绩、排名、决定与进程", responses=s.DossierSerializer)
    def retrieve(self, request, pk=None):
        return self.dossier_response(self.dossier_object())

    @extend_schema(tags=TAG, summary="修改草稿(发布前)", request=s.SelectionUpdateSerializer, responses=s.DossierSerializer)
    def partial_update(self, request, pk=None):
        selection = self.dossier_object()
        data = valid_input(s.SelectionUpdateSerializer, request.data)
        if "posts" in data:
            data["posts"] = [dict(p) for p in data["posts"]]
        sv.selection_update(selection=selection, actor=request.user, **data)
        return self.dossier_response(Selection.objects.get(pk=selection.pk))

    @extend_schema(tags=TAG, summary="竞聘公告与本人的条件核对、报名状态", responses=s.PostingSerializer)
    @action(detail=True, methods=["get"])
    def posting(self, request, pk=None):
        selection = self.visible_object()
        view = applicant_view(request.user, selection)
        body = {
            "selection": selection, "criteria": view.eligibility.reasons if view.eligibility else [],
            "application": view.application, "may_apply": view.may_apply, "may_withdraw": view.may_withdraw,
            "reason": view.reason,
        }
        return Response(s.PostingSerializer(body).data)

    # -- the process -----------------------------------------------------------------------------------

    def _act(self, function, **kwargs) -> Response:
        selection = self.dossier_object()
        function(selection=selection, actor=self.request.user, **kwargs)
        return self.dossier_response(Selection.objects.select_related("org_unit").get(pk=selection.pk))

    @extend_schema(tags=TAG, summary="发布竞聘公告", request=None, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(sv.selection_publish)

    @extend_schema(tags=TAG, summary="截止报名，按截止日自动核对报名条件", request=None, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(sv.applications_close)

    @extend_schema(tags=TAG, summary="终止竞聘(须说明理由)", request=s.ReasonInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(sv.selection_cancel, reason=valid_input(s.ReasonInputSerializer, request.data)["reason"])

    @extend_schema(
        tags=TAG, summary="报名(员工本人；人事组织推荐，可附破格理由与材料)", methods=["POST"],
        request={"application/json": s.SelectionApplyInputSerializer, "multipart/form-data": s.SelectionApplyInputSerializer},
        responses={201: s.SelectionApplicationSerializer},
    )
    @extend_schema(tags=TAG, summary="报名名单(纪实读者)", methods=["GET"], responses=s.SelectionApplicationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def applications(self, request, pk=None):
        if request.method == "GET":
            if not authority.allows(request.user, "selections.read"):
                raise PermissionDenied(authority.explain(request.user, "selections.read"))
            selection = self.dossier_object()
            d = dossier(selection, user=request.user)
            context = {"exceptions": {x.application_id: x for x in d.exceptions}}
            return Response(s.SelectionApplicationSerializer(d.applications, many=True, context=context).data)
        if not authority.allows(request.user, "selections.apply"):
            raise PermissionDenied(authority.explain(request.user, "selections.apply"))
        selection = self.visible_object()
        data = valid_input(s.SelectionApplyInputSerializer, request.data)
        if data.get("employee_no"):
            employee = scope_employees(request.user, Employee.objects.all()).filter(employee_no=data["employee_no"]).first()
            if employee is None:
                raise Http404("没有该工号的员工，或不在您的数据范围内")
        elif request.user.employee_id:
            employee = request.user.employee
        else:
            raise Http404("您的账号未关联员工；组织推荐请填写 employee_no")
        app = sv.application_apply(
            selection=selection, post=data["post"], employee=employee, actor=request.user,
            exception_reason=data.get("exception_reason", ""), attachment=data.get("attachment"),
        )
        return Response(s.SelectionApplicationSerializer(app, context={"exceptions": {}}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG, summary="撤回报名(截止日前)", parameters=[APP_PARAM], request=s.ReasonInputSerializer,
        responses=s.SelectionApplicationSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application>[0-9]+)/withdraw")
    def withdraw(self, request, pk=None, application=None):
        selection = self.visible_object()
        app = selection.applications.filter(pk=int_or_404(application)).first()
        if app is None or (app.employee_id != request.user.employee_id and dossier_selection(request.user, selection.pk) is None):
            raise Http404("没有找到该报名")
        reason = valid_input(s.ReasonInputSerializer, request.data)["reason"]
        app = sv.application_withdraw(application=app, actor=request.user, reason=reason)
        return Response(s.SelectionApplicationSerializer(app, context={"exceptions": {}}).data)

    @extend_schema(tags=TAG, summary="资格审查：通过或不通过(须说明理由)", request=s.SelectionReviewInputSerializer, responses=s.SelectionApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        selection = self.dossier_object()
        data = valid_input(s.SelectionReviewInputSerializer, request.data)
        if not selection.applications.filter(pk=data["application"]).exists():
            raise Http404("没有找到该报名")
        app = sv.application_review(
            application=data["application"], actor=request.user, confirm=data["result"] == "confirm", reason=data["reason"]
        )
        return Response(s.SelectionApplicationSerializer(app, context={"exceptions": {}}).data)

    @extend_schema(
        tags=TAG, summary="破格：放宽一项不符合的条件(理由与材料)",
        request={"multipart/form-data": s.ExceptionInputSerializer}, responses={201: s.SelectionApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def exceptions(self, request, pk=None):
        selection = self.dossier_object()
        data = valid_input(s.ExceptionInputSerializer, request.data)
        if not selection.applications.filter(pk=data["application"]).exists():
            raise Http404("没有找到该报名")
        admission = sv.exception_grant(
            application=data["application"], actor=request.user, reason=data["reason"], attachment=data["attachment"],
            criterion=data["criterion"],
        )
        context = {"exceptions": {admission.application_id: admission}}
        return Response(s.SelectionApplicationSerializer(admission.application, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAG, summary="指定评委", request=s.JudgeInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def judges(self, request, pk=None):
        return self._act(sv.judge_name, user=valid_input(s.JudgeInputSerializer, request.data)["user"])

    @extend_schema(tags=TAG, summary="登记评委回避", request=s.RecusalInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def recusals(self, request, pk=None):
        data = valid_input(s.RecusalInputSerializer, request.data)
        return self._act(sv.recusal_declare, judge=data["judge"], application=data["application"], reason=data["reason"])

    @extend_schema(tags=TAG, summary="录入成绩(笔试；或不录评委评分、票数时的最终成绩)", request=s.ScoresInputSerializer,
                   responses=s.EntryResultSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        selection = self.dossier_object()
        data = valid_input(s.ScoresInputSerializer, request.data)
        result = sv.scores_enter(
            selection=selection, actor=request.user, stage=data["stage"],
            scores={item["application"]: item["score"] for item in data["scores"]}, reason=data["reason"], source="api",
        )
        return Response(s.EntryResultSerializer(result).data)

    @extend_schema(tags=TAG, summary="评委本人的评分表", methods=["GET"], responses=s.SheetSerializer)
    @extend_schema(tags=TAG, summary="评委录入本人的评分", methods=["POST"], request=s.SheetInputSerializer,
                   responses=s.EntryResultSerializer)
    @action(detail=True, methods=["get", "post"])
    def sheet(self, request, pk=None):
        selection = judged_by(request.user).filter(pk=int_or_404(pk)).first()
        if selection is None:
            raise Http404("没有找到该竞聘，或您不是它的评委")
        if request.method == "GET":
            return Response(s.SheetSerializer(judge_sheet(selection=selection, judge=request.user)).data)
        data = valid_input(s.SheetInputSerializer, request.data)
        result = sv.judge_marks(
            selection=selection, judge=request.user, marks={m["application"]: m["score"] for m in data["marks"]},
            reason=data["reason"],
        )
        return Response(s.EntryResultSerializer(result).data)

    @extend_schema(tags=TAG, summary="录入民主测评票数(只记各档票数)", request=s.BallotsInputSerializer,
                   responses=s.EntryResultSerializer)
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None):
        selection = self.dossier_object()
        data = valid_input(s.BallotsInputSerializer, request.data)
        ballots = {b["application"]: (b["excellent"], b["competent"], b["basic"], b["incompetent"]) for b in data["ballots"]}
        result = sv.ballots_enter(selection=selection, actor=request.user, ballots=ballots, reason=data["reason"], source="api")
        return Response(s.EntryResultSerializer(result).data)

    @extend_schema(tags=TAG, summary="确认一个阶段(锁定其成绩)", request=s.StageInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(sv.stage_complete, stage=valid_input(s.StageInputSerializer, request.data)["stage"])

    @extend_schema(tags=TAG, summary="综合排名(总成绩、名次、考察人选)", responses=s.StandingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        return Response(s.StandingSerializer(ranking_of(dossier(self.dossier_object())), many=True).data)

    @extend_schema(tags=TAG, summary="确定考察人选", request=None, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        return self._act(sv.inspection_start)

    @extend_schema(tags=TAG, summary="考察记录", request=s.InspectionInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def inspections(self, request, pk=None):
        data = valid_input(s.InspectionInputSerializer, request.data)
        return self._act(sv.inspection_record, **data)

    @extend_schema(tags=TAG, summary="任用决定(领导)：不填按名次推荐", request=s.DecideInputSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = valid_input(s.DecideInputSerializer, request.data)
        choice = {c["post"]: c["applications"] for c in data["choice"]} if data.get("choice") else None
        return self._act(sv.selection_decide, choice=choice, reason=data["reason"])

    @extend_schema(tags=TAG, summary="发布任前公示(人事，工作日)", request=s.NoticeInputSerializer, responses={201: s.NoticeRefSerializer})
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        selection = self.dossier_object()
        title = valid_input(s.NoticeInputSerializer, request.data)["title"] or None
        notice = sv.selection_notice(selection=selection, actor=request.user, title=title)
        return Response(s.NoticeRefSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAG, summary="办结(全部任职建议已有结果)", request=None, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        return self._act(sv.selection_settle)
