"""POST /api/token/: DRF's obtain_auth_token behind the same login throttle as the web login.

The counters are shared with the login page (core.throttle, per user name and address, and per user
name from all addresses), so a guesser gains nothing by alternating between the page and the API.
"""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jinjie.core import throttle
from jinjie.org.backends import DIRECTORY_UNREACHABLE, directory_unreachable

from .errors import ChineseErrorsMixin
from .schema import error_response


def _locked(attempt: throttle.Attempt) -> Response:
    return Response(
        {"detail": attempt.message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(attempt.locked_for)},
    )


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="用户名")
    password = serializers.CharField(help_text="密码")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌：此后的请求带上请求头 Authorization: Token <令牌>")


@extend_schema(
    tags=["认证"],
    summary="用用户名和密码换取令牌(Authorization: Token …)",
    request=CredentialsSerializer,
    responses={
        200: TokenSerializer,
        400: error_response(400, description="用户名或密码不正确，或未填写"),
        429: error_response(429),
        503: error_response(503, description="统一身份认证(目录服务)暂时无法连接：目录账号无法登录，本地账号不受影响"),
    },
    parameters=[
        OpenApiParameter(
            "Retry-After", int, OpenApiParameter.HEADER, response=[429], required=True,
            description="锁定剩余的秒数",
        )
    ],
)
class ObtainTokenView(ChineseErrorsMixin, ObtainAuthToken):
    # Anyone may ask for a token, and whatever credentials the request already carries are not
    # looked at: a stale token or a session must not turn a login into a 401 or a CSRF 403.
    authentication_classes = []
    permission_classes = []
    schema_omits_errors = (401, 403, 404)

    def post(self, request, *args, **kwargs):
        # A JSON body may be a list or a number: the serializer then refuses it (400), unthrottled.
        data = request.data if isinstance(request.data, Mapping) else {}
        username = str(data.get("username", ""))[:150]
        attempt = None
        if username and data.get("password"):
            # Reserved before the serializer checks the password (see core.throttle).
            attempt = throttle.reserve(username, throttle.client_address(request))
            if attempt.refused:
                return _locked(attempt)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if attempt is not None and attempt.failed():
                return _locked(attempt)
            if directory_unreachable(request):
                # The directory (统一身份认证, org.directory) could not be asked: not a wrong password.
                return Response({"detail": DIRECTORY_UNREACHABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
            raise ValidationError(serializer.errors)
        if attempt is not None:
            attempt.succeeded()
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
