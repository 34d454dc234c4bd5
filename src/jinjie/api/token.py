"""POST /api/token/: DRF's obtain_auth_token behind the same login throttle as the web login.

The counters are shared with the login page (web.throttle, per username and address), so a guesser
gains nothing by alternating between the page and the API.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jinjie.web import throttle

from .errors import ChineseErrorsMixin


def _locked(seconds: int) -> Response:
    return Response(
        {"detail": throttle.locked_message(seconds)},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(seconds)},
    )


@extend_schema(tags=["认证"], summary="用用户名和密码换取令牌(Authorization: Token …)")
class ObtainTokenView(ChineseErrorsMixin, ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150]
        ip = throttle.client_ip(request)
        left = throttle.locked_for(username, ip)
        if left:
            return _locked(left)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if username and throttle.record_failure(username, ip):
                return _locked(throttle.LOCKOUT)
            raise ValidationError(serializer.errors)
        throttle.clear(username, ip)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
