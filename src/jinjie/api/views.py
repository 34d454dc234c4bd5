"""API views: validate the input, call one service or selector, serialize the result.

Scoping is the queryset: every object lookup goes through org.scoping (or a selector built on it),
so another unit's or another employee's object is "not found" (404). Role checks come first (403).
"""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response

from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from . import permissions as perms
from . import serializers as s
from .errors import ChineseErrorsMixin
from .permissions import RolePermission


class ApiMixin(ChineseErrorsMixin):
    # Token first: DRF answers an unauthenticated call with the first class's challenge, so an
    # integration gets 401 + "WWW-Authenticate: Token" instead of a bare 403. Both still work.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [RolePermission]


def under_path(path: str, prefix: str = "org_unit__") -> Q:
    """Rows in the unit named by `path` or below it. An unknown path simply matches nothing."""
    path = path.strip().strip("/")
    return Q(**{f"{prefix}path": path}) | Q(**{f"{prefix}path__startswith": path + "/"})


def valid_query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


# --- employees -----------------------------------------------------------------------------------


def employee_detail(employee: Employee) -> dict:
    return {
        "employee": employee,
        "rank_history": list(employee.rank_changes.order_by("effective_date", "id")),
    }


@extend_schema(tags=["员工"])
class EmployeeViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    roles = perms.READ_EMPLOYEES
    serializer_class = s.EmployeeSerializer

    def get_queryset(self):
        qs = scope_employees(self.request.user, Employee.objects.select_related("org_unit"))
        if self.action != "list":
            return qs
        f = valid_query(s.EmployeeFilterSerializer, self.request)
        if "org" in f:
            qs = qs.filter(under_path(f["org"]))
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
