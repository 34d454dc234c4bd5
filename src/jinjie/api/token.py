"""POST /api/token/: DRF's obtain_auth_token behind the same login throttle as the web login.

The counters are shared with the login page (core.throttle, per user name and address, and per user
name from all addresses), so a guesser gains nothing by alternating between the page and the API.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jinjie.core import throttle

from .errors import ChineseErrorsMixin


def _locked(attempt: throttle.Attempt) -> Response:
    return Response(
        {"detail": attempt.message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(attempt.locked_for)},
    )


@extend_schema(tags=["认证"], summary="用用户名和密码换取令牌(Authorization: Token …)")
class ObtainTokenView(ChineseErrorsMixin, ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150]
        attempt = None
        if username and request.data.get("password"):
            # Reserved before the serializer checks the password (see core.throttle).
            attempt = throttle.reserve(username, throttle.client_address(request))
            if attempt.refused:
                return _locked(attempt)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if attempt is not None and attempt.failed():
                return _locked(attempt)
            raise ValidationError(serializer.errors)
        if attempt is not None:
            attempt.succeeded()
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
