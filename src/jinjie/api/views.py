"""API views: validate the input, call one service or selector, serialize the result.

Scoping is the queryset: every object lookup goes through org.scoping (or a selector built on it),
so another unit's or another employee's object is "not found" (404). Role checks come first (403).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jinjie.approvals.models import Notice, NoticeItem
from jinjie.approvals.pay import pay_summary
from jinjie.approvals.selectors import (
    decision_queue,
    notice_candidates,
    notices_for,
    objections_for,
    reassignment_cases,
)
from jinjie.approvals.services import (
    immediate_demotion,
    notice_publish,
    objection_file,
    objection_resolve,
    period_submit,
    proposal_decide,
    proposal_submit,
    proposals_decide_batch,
)
from jinjie.approvals.workflow import STEP_ACTIONS
from jinjie.evaluations import selectors as evaluation_selectors
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.qualify import ladder_gap, monopoly_next_level
from jinjie.evaluations.services import evaluation_run
from jinjie.interchange.kinds import KINDS
from jinjie.interchange.services import import_file
from jinjie.org import authority
from jinjie.org.models import OrgUnit
from jinjie.org.scoping import can_see_org_unit, scope_employees
from jinjie.org.selectors import normalize_org_path, org_unit_at, subtree_at
from jinjie.people.models import Employee, Track

from . import serializers as s
from .errors import ChineseErrorsMixin
from .permissions import AuthorityPermission

STEP_RIGHTS = tuple(STEP_ACTIONS.values())
IMPORT_RIGHTS = tuple(authority.import_action(kind) for kind in KINDS)


class ApiMixin(ChineseErrorsMixin):
    # Token first: DRF answers an unauthenticated call with the first class's challenge, so an
    # integration gets 401 + "WWW-Authenticate: Token" instead of a bare 403. Both still work.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AuthorityPermission]


def scoped_org_unit(user, path: str | None) -> OrgUnit | None:
    """The unit a write applies to: the named one if the user may see it (else 404), by default
    the user's own unit; None (every unit) only for a superuser with no unit."""
    if path and normalize_org_path(path):
        unit = org_unit_at(path)
        if unit is None or not can_see_org_unit(user, unit):
            raise Http404("没有找到该单位，或不在您的数据范围内")
        return unit
    if user.org_unit_id is not None:
        return user.org_unit
    if user.is_superuser:
        return None
    raise PermissionDenied("您的账号没有设置所属单位(数据范围)，请联系人事劳资")


def int_or_404(value) -> int:
    """A primary key from the URL, or 404: "abc" or a number no database column holds is simply
    not there (SQLite would otherwise raise OverflowError, a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("没有找到该记录") from None
    if not 1 <= number <= s.MAX_ID:
        raise Http404("没有找到该记录")
    return number


class SafePkMixin:
    def get_object(self):
        self.kwargs[self.lookup_field] = int_or_404(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return super().get_object()


def valid_input(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def valid_query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


# --- employees -----------------------------------------------------------------------------------


def employee_detail(employee: Employee) -> dict:
    # A 专卖管理员's level carries no ladder pay: the pay block then says why instead of failing.
    summary = pay_summary(employee=employee)
    pay = {"current": summary.current, "note": summary.note, "history": list(summary.history)}
    return {
        "employee": employee,
        "rank_history": list(employee.rank_changes.order_by("effective_date", "id")),
        "pay": pay,
    }


@extend_schema(tags=["员工"])
class EmployeeViewSet(ApiMixin, SafePkMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    rights = ("employees.read",)
    serializer_class = s.EmployeeSerializer

    def get_queryset(self):
        qs = scope_employees(self.request.user, Employee.objects.select_related("org_unit"))
        if self.action != "list":
            return qs
        f = valid_query(s.EmployeeFilterSerializer, self.request)
        if "org" in f:
            qs = qs.filter(subtree_at(f["org"]))
        if "track" in f:
            qs = qs.filter(track=f["track"])
        if "rank" in f:
            qs = qs.filter(current_rank=f["rank"])
        return qs.order_by("employee_no")

    @extend_schema(summary="员工列表(本人数据范围内)", parameters=[s.EmployeeFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="员工详情：职级变动与薪酬", responses=s.EmployeeDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(s.EmployeeDetailSerializer(employee_detail(self.get_object())).data)


@extend_schema(tags=["员工"])
class MeView(ApiMixin, APIView):
    # The logged-in user's own employee record: rank, history, pay and the gap to the next rank;
    # for a 专卖管理员 also the conditions of the next monopoly level (monopoly_gap).
    # (Comments, not docstrings: drf-spectacular would publish a docstring as the Chinese docs' text.)

    rights = ()  # any login; the record shown is the caller's own

    @extend_schema(summary="本人：职级、薪酬与晋升差距", parameters=[s.MeQuerySerializer], responses=s.MeSerializer)
    def get(self, request):
        query = valid_query(s.MeQuerySerializer, request)
        # One's own record is always visible, whatever the role's subtree (SPEC 1: employee row).
        employee = Employee.objects.select_related("org_unit").filter(pk=request.user.employee_id).first()
        if employee is None:
            raise Http404("当前账号没有关联员工")
        detail = employee_detail(employee)
        detail["gap"] = ladder_gap(employee=employee, period=query.get("period"))
        detail["monopoly_gap"] = (
            monopoly_next_level(employee=employee, as_of=query.get("as_of"))
            if employee.track == Track.MONOPOLY_ADMINISTRATOR
            else None
        )
        return Response(s.MeSerializer(detail).data)


# --- evaluations and proposals -------------------------------------------------------------------


@extend_schema(tags=["测评"])
class EvaluationRunView(ApiMixin, APIView):
    rights = ("evaluations.run",)

    @extend_schema(
        summary="运行测评(或在草稿阶段重新计算)",
        request=s.EvaluationRunInputSerializer,
        responses={201: s.EvaluationRunSerializer},
    )
    def post(self, request):
        data = valid_input(s.EvaluationRunInputSerializer, request.data)
        unit = scoped_org_unit(request.user, data.get("org"))
        run = evaluation_run(period=data["period"], org_unit=unit, actor=request.user)
        return Response(s.EvaluationRunSerializer(run).data, status=status.HTTP_201_CREATED)


def scoped_proposal_ids(user, ids: list[int]) -> list[int]:
    """The ids, all of them inside the user's scope — else 404 naming the ones that are not.

    Checked before the service so that a batch never reveals another unit's proposal (its
    employee's name, its state) through the service's per-item reasons.
    """
    wanted = sorted(set(ids))
    visible = set(
        scope_employees(user, Proposal.objects.filter(pk__in=wanted), prefix="employee__").values_list("pk", flat=True)
    )
    missing = [pk for pk in wanted if pk not in visible]
    if missing:
        raise Http404(f"没有找到这些建议，或不在您的数据范围内：{'、'.join(f'#{pk}' for pk in missing)}")
    return wanted


@extend_schema(tags=["晋升/降级建议"])
class ProposalViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    rights = ("proposals.read",)
    rights_by_action = {
        "decide": STEP_RIGHTS,
        "decide_batch": STEP_RIGHTS,
        "submit": ("proposals.submit",),
        "submit_batch": ("proposals.submit",),
        "queue": STEP_RIGHTS,
    }
    serializer_class = s.ProposalSerializer
    queryset = Proposal.objects.none()  # the real reads are the selectors below

    def get_queryset(self):
        f = valid_query(s.ProposalFilterSerializer, self.request)
        qs = evaluation_selectors.proposal_list(
            period=f["period"], user=self.request.user, move=f.get("move"), state=f.get("state")
        )
        if "org" in f:
            qs = qs.filter(subtree_at(f["org"], prefix="employee__org_unit__"))
        return qs

    def get_object(self):
        try:
            proposal = evaluation_selectors.proposal_get(pk=int_or_404(self.kwargs["pk"]), user=self.request.user)
        except Proposal.DoesNotExist:
            raise Http404("没有找到该建议，或不在您的数据范围内") from None
        self.check_object_permissions(self.request, proposal)
        return proposal

    @extend_schema(summary="某测评期的晋升/降级建议", parameters=[s.ProposalFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="一条建议：评定依据与审批步骤", responses=s.ProposalDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(s.ProposalDetailSerializer(self.get_object()).data)

    @extend_schema(summary="待我审批的建议(按角色、序列与数据范围)", responses=s.ProposalSerializer(many=True))
    @action(detail=False, methods=["get"])
    def queue(self, request):
        return Response(s.ProposalSerializer(decision_queue(user=request.user), many=True).data)

    @extend_schema(
        summary="审批当前环节：同意或不同意",
        request=s.DecisionInputSerializer,
        responses=s.DecisionResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        proposal = self.get_object()
        data = valid_input(s.DecisionInputSerializer, request.data)
        result = proposal_decide(
            proposal=proposal,
            actor=request.user,
            decision=data["decision"],
            comment=data["comment"],
            step_index=data.get("step_index"),
        )
        return Response(s.DecisionResultSerializer(result).data)

    @extend_schema(
        summary="批量审批(全部通过或全部不处理)",
        request=s.BatchDecisionInputSerializer,
        responses=s.BatchDecisionResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="decide-batch")
    def decide_batch(self, request):
        data = valid_input(s.BatchDecisionInputSerializer, request.data)
        ids = scoped_proposal_ids(request.user, data["ids"])
        batch = proposals_decide_batch(
            proposals=ids, actor=request.user, decision=data["decision"], comment=data["comment"]
        )
        body = {"count": len(batch), "proposals": batch.proposals, "fallbacks": batch.fallbacks}
        return Response(s.BatchDecisionResultSerializer(body).data)

    @extend_schema(
        summary="提交一条待提交的建议", operation_id="proposals_submit_one", request=None,
        responses=s.SubmitResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submitted = proposal_submit(proposals=[self.get_object()], actor=request.user)
        return Response(s.SubmitResultSerializer({"count": len(submitted), "proposals": submitted}).data)

    @extend_schema(
        summary="提交待提交的建议：按编号，或整期(period + org)",
        operation_id="proposals_submit_many",
        request=s.SubmitInputSerializer,
        responses=s.SubmitResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="submit")
    def submit_batch(self, request):
        data = valid_input(s.SubmitInputSerializer, request.data)
        if "ids" in data:
            submitted = proposal_submit(proposals=scoped_proposal_ids(request.user, data["ids"]), actor=request.user)
        else:
            unit = scoped_org_unit(request.user, data.get("org"))
            if unit is None:
                raise ValidationError({"detail": "请用 org 指定单位"})
            submitted = period_submit(period=data["period"], org_unit=unit, actor=request.user)
        return Response(s.SubmitResultSerializer({"count": len(submitted), "proposals": submitted}).data)


# --- notices -------------------------------------------------------------------------------------


@extend_schema(tags=["公示与异议"])
class NoticeViewSet(ApiMixin, SafePkMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    rights = ("notices.read",)
    rights_by_action = {"create": ("notices.publish",), "candidates": ("notices.publish",)}
    serializer_class = s.NoticeSerializer
    queryset = Notice.objects.none()  # the real read is notices_for below

    def get_queryset(self):
        qs = notices_for(user=self.request.user)
        return qs.prefetch_related("items") if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return s.NoticeDetailSerializer if self.action == "retrieve" else s.NoticeSerializer

    @extend_schema(summary="本人可见的公示(本单位及上级单位的；管理人员另含下级单位的)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="一份公示及其事项")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="发布公示(考评委员会)", request=s.NoticePublishInputSerializer,
                   responses={201: s.NoticeDetailSerializer})
    def create(self, request):
        data = valid_input(s.NoticePublishInputSerializer, request.data)
        unit = scoped_org_unit(request.user, data.get("org"))
        if unit is None:
            raise ValidationError({"detail": "请用 org 指定公示单位"})
        notice = notice_publish(
            org_unit=unit,
            proposals=scoped_proposal_ids(request.user, data["ids"]),
            actor=request.user,
            days=data.get("days"),
            day_kind=data.get("day_kind"),
            title=data.get("title"),
        )
        return Response(s.NoticeDetailSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="待公示的建议(当前环节为公示)", responses=s.ProposalSerializer(many=True))
    @action(detail=False, methods=["get"])
    def candidates(self, request):
        return Response(s.ProposalSerializer(notice_candidates(user=request.user), many=True).data)


# --- objections ----------------------------------------------------------------------------------


@extend_schema(tags=["公示与异议"])
class ObjectionViewSet(ApiMixin, viewsets.GenericViewSet):
    # Objections are read only through approvals.selectors.objections_for, which hides the filer
    # from everyone but the filer, the committee and the discipline officer (SPEC 2.4).

    rights_by_action = {
        "list": ("objections.read",),
        "retrieve": ("objections.read",),
        "create": ("objections.file",),
        "resolve": ("objections.resolve",),
    }
    serializer_class = s.ObjectionSerializer

    def visible(self, pk: int):
        found = objections_for(user=self.request.user, objection=pk)
        if not found:
            raise Http404("没有找到该异议，或不在您的数据范围内")
        return found[0]

    @extend_schema(summary="异议列表(提出人按权限隐藏)", parameters=[s.ObjectionFilterSerializer])
    def list(self, request):
        f = valid_query(s.ObjectionFilterSerializer, request)
        objections = objections_for(user=request.user, proposal=f.get("proposal"))
        page = self.paginate_queryset(objections)
        return self.get_paginated_response(s.ObjectionSerializer(page, many=True).data)

    @extend_schema(summary="一条异议及其处理结果", parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def retrieve(self, request, pk=None):
        return Response(s.ObjectionSerializer(self.visible(int_or_404(pk))).data)

    @extend_schema(summary="对公示事项提出异议(公示期内，本单位员工)", request=s.ObjectionFileInputSerializer,
                   responses={201: s.ObjectionSerializer})
    def create(self, request):
        data = valid_input(s.ObjectionFileInputSerializer, request.data)
        # Only an item of a notice the caller can read: anything else is "not found", not a hint.
        if not NoticeItem.objects.filter(pk=data["notice_item"], notice__in=notices_for(user=request.user)).exists():
            raise Http404("没有找到该公示事项，或该公示不在您的范围内")
        objection = objection_file(notice_item=data["notice_item"], filer=request.user, text=data["text"])
        return Response(s.ObjectionSerializer(self.visible(objection.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="处理异议(考评委员会)：成立则建议不通过，不成立则继续",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request=s.ObjectionResolveInputSerializer,
        responses=s.ObjectionResolutionSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        objection = self.visible(int_or_404(pk))
        data = valid_input(s.ObjectionResolveInputSerializer, request.data)
        objection_resolve(objection=objection.id, actor=request.user, upheld=data["upheld"], reason=data["reason"])
        proposal = evaluation_selectors.proposal_get(pk=objection.proposal_id, user=request.user)
        body = {"objection": self.visible(objection.id), "proposal": proposal}
        return Response(s.ObjectionResolutionSerializer(body).data)


# --- immediate demotions and reassignment --------------------------------------------------------


@extend_schema(tags=["晋升/降级建议"])
class ImmediateDemotionView(ApiMixin, APIView):
    rights = ("demotions.immediate",)

    @extend_schema(
        summary="即时降档/降级(考评委员会，依据一条违规记录)",
        request=s.ImmediateDemotionInputSerializer,
        responses={201: s.ProposalDetailSerializer},
    )
    def post(self, request):
        data = valid_input(s.ImmediateDemotionInputSerializer, request.data)
        employee = scope_employees(request.user, Employee.objects.all()).filter(employee_no=data["employee_no"]).first()
        if employee is None:
            raise Http404("没有找到该员工，或不在您的数据范围内")
        violations = list(employee.violations.filter(date=data["violation_date"]))
        if data.get("violation_description"):
            violations = [v for v in violations if v.description == data["violation_description"]]
        if not violations:
            raise ValidationError({"detail": f"{employee.name} 在 {data['violation_date']} 没有相符的违规记录"})
        if len(violations) > 1:
            raise ValidationError({"detail": f"{employee.name} 在 {data['violation_date']} 有多条违规记录，请填写违规说明以区分"})
        proposal = immediate_demotion(
            employee=employee, violation=violations[0], to_level=data["to_level"], actor=request.user,
            comment=data["comment"],
        )
        proposal = evaluation_selectors.proposal_get(pk=proposal.pk, user=request.user)
        return Response(s.ProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["员工"])
class ReassignmentCaseView(ApiMixin, APIView):
    rights = ("reassignments.read",)

    @extend_schema(summary="调整岗位：连续两次降至见习的员工(人事劳资)", responses=s.ReassignmentCaseSerializer(many=True))
    def get(self, request):
        return Response(s.ReassignmentCaseSerializer(reassignment_cases(user=request.user), many=True).data)


# --- imports -------------------------------------------------------------------------------------

MAX_ERRORS_RETURNED = 1000


@extend_schema(tags=["数据导入"])
class ImportView(ApiMixin, APIView):
    # One SPEC 6 file: validated in full, then written all or nothing by interchange.import_file.

    parser_classes = [MultiPartParser, FormParser]
    rights = IMPORT_RIGHTS  # then per kind, below

    @extend_schema(
        summary="导入数据文件(?dry_run=1 只校验)",
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS), description="数据类别"),
            s.ImportQuerySerializer,
        ],
        request={"multipart/form-data": s.ImportInputSerializer},
        responses={200: s.ImportResultSerializer, 201: s.ImportResultSerializer, 400: s.ImportErrorSerializer},
    )
    def post(self, request, kind: str):
        if kind not in KINDS:
            raise Http404(f"未知的数据类别「{kind}」，应为：{'、'.join(KINDS)}")
        if not authority.allows(request.user, authority.import_action(kind)):
            raise PermissionDenied(f"您的角色不能导入“{KINDS[kind].label}”")
        dry_run = valid_query(s.ImportQuerySerializer, request)["dry_run"]
        upload = valid_input(s.ImportInputSerializer, request.data)["file"]
        result = import_file(
            kind=kind, path_or_fileobj=upload, filename=upload.name, dry_run=dry_run, actor=request.user
        )
        if not result.ok:
            body = {
                "detail": result.summary(),
                "error_count": len(result.errors),
                "truncated": len(result.errors) > MAX_ERRORS_RETURNED,
                "errors": result.errors[:MAX_ERRORS_RETURNED],
            }
            return Response(s.ImportErrorSerializer(body).data, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if result.written else status.HTTP_200_OK
        return Response(s.ImportResultSerializer(result).data, status=code)
