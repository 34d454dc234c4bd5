"""统计分析 over the API (SPEC 9): the data behind each chart, and the rule-book what-if, as JSON.

The same selectors as the pages (jinjie.reports.registry), the same filters by the same names;
the unit is a path (`org`), inside the caller's subtree (else 404).
"""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from jinjie.org.models import OrgUnit
from jinjie.reports.registry import DEFAULT_PERIODS, REPORTS, Filters, build
from jinjie.reports.whatif import whatif_run
from jinjie.rulebooks.models import BookKind, RuleBook

from . import serializers_reports as s
from .schema import error_response
from .views import ApiMixin, scoped_org_unit, valid_query


def _unit(user, path: str | None) -> OrgUnit:
    unit = scoped_org_unit(user, path)
    if unit is None:  # a superuser without a unit of their own: the top of the tree
        unit = OrgUnit.objects.filter(parent=None).order_by("pk").first()
        if unit is None:
            raise Http404("还没有任何单位")
    return unit


@extend_schema(tags=["统计分析"])
class ReportListView(ApiMixin, APIView):
    rights = ("reports.read",)

    @extend_schema(summary="统计报表目录", responses=s.ReportListItemSerializer(many=True))
    def get(self, request):
        items = [
            {"name": spec.name, "label": spec.label, "question": spec.question, "filters": list(spec.filters),
             "url": reverse("api:report", args=[spec.name])}
            for spec in REPORTS.values()
        ]
        return Response(s.ReportListItemSerializer(items, many=True).data)


@extend_schema(tags=["统计分析"])
class ReportView(ApiMixin, APIView):
    rights = ("reports.read",)

    @extend_schema(
        summary="一张统计报表的数据：各图表的数字(作图数据与表格)",
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORTS),
                             description="报表：" + "、".join(f"{k}（{v.label}）" for k, v in REPORTS.items())),
            s.ReportQuerySerializer,
        ],
        responses=s.ReportSerializer,
    )
    def get(self, request, name: str):
        if name not in REPORTS:
            raise Http404("没有这个统计报表")
        q = valid_query(s.ReportQuerySerializer, request)
        filters = Filters(
            unit=_unit(request.user, q.get("org")), period=q.get("period"), on=q.get("date"), month=q.get("month"),
            track=q.get("track"), target=q.get("target"), periods=q.get("periods") or DEFAULT_PERIODS,
        )
        report = build(name, user=request.user, filters=filters)
        return Response(s.ReportSerializer(report.as_json()).data)


@extend_schema(tags=["统计分析"])
class WhatIfView(ApiMixin, APIView):
    rights = ("reports.whatif",)

    @extend_schema(
        summary="评定标准试算：用某一期的数据比较所选标准与当时生效的标准(不写入任何数据)",
        parameters=[s.WhatIfQuerySerializer],
        # The book or the unit asked for may be unknown or outside the caller's scope.
        responses={200: s.WhatIfSerializer, 404: error_response(404)},
    )
    def get(self, request):
        q = valid_query(s.WhatIfQuerySerializer, request)
        book = RuleBook.objects.filter(pk=q["book"], kind=BookKind.LADDER).first()
        if book is None:
            raise Http404("没有找到该职级标准")
        result = whatif_run(book=book, period=q["period"], org_unit=_unit(request.user, q.get("org")),
                            actor=request.user)
        return Response(s.WhatIfSerializer(result).data)
