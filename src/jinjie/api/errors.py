"""Every refusal the API gives is a 4xx with a Chinese `detail` — never a 500.

Services refuse with a DomainError (jinjie.core.errors) whose message is the Chinese sentence:
NotPermitted → 403, BatchRefused → 400 listing every refused item, any other DomainError → 400.
Django's ValidationError → 400 with its messages. DRF's own messages are already Chinese
(LANGUAGE_CODE zh-hans).
Django words two messages that DRF passes on — get_object_or_404's "No Employee matches the given
query." and the CSRF check's "CSRF Failed: …" — put into Chinese here.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from jinjie.core.errors import BatchRefused, DomainError, NotPermitted

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# The same answer whether the record does not exist or lies outside the caller's data scope, so
# that a 404 tells nobody which ids exist elsewhere.
NOT_FOUND = "没有找到该记录，或不在您的数据范围内"
CSRF_FAILED = "CSRF 校验失败：{reason}（请在请求头 X-CSRFToken 中带上令牌）"
# Django's reasons (django.middleware.csrf), most specific first.
CSRF_REASONS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern), reason)
    for pattern, reason in (
        (r"^CSRF cookie not set", "没有 CSRF Cookie，请先打开系统的任一页面"),
        (r"^CSRF cookie ", "CSRF Cookie 格式不正确，请刷新页面"),
        (r"^CSRF token missing", "缺少 CSRF 令牌"),
        (r"^CSRF token from .* incorrect\.$", "CSRF 令牌不正确，可能已过期，请刷新页面"),
        (r"^CSRF token from ", "CSRF 令牌格式不正确"),
        (r"^Origin checking failed", "请求来源(Origin)不在信任的站点之列"),
        (r"^Referer checking failed - no Referer", "HTTPS 请求缺少 Referer 请求头"),
        (r"^Referer checking failed - Referer is insecure", "HTTPS 站点不接受来自 HTTP 页面的请求"),
        (r"^Referer checking failed - Referer is malformed", "Referer 请求头格式不正确"),
        (r"^Referer checking failed", "请求来源(Referer)不在信任的站点之列"),
    )
)


def _csrf_reason(english: str) -> str:
    return next((reason for pattern, reason in CSRF_REASONS if pattern.search(english)), "请求未通过校验")


def in_chinese(exc: Exception) -> Exception:
    """Django's English 404 and CSRF refusals → the same refusals in Chinese; others unchanged."""
    if isinstance(exc, Http404) and not CHINESE.search(str(exc)):
        return exceptions.NotFound(NOT_FOUND)
    if isinstance(exc, exceptions.NotFound) and not CHINESE.search(str(exc.detail)):
        return exceptions.NotFound(NOT_FOUND)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed: "):
        return exceptions.PermissionDenied(CSRF_FAILED.format(reason=_csrf_reason(str(exc.detail)[13:])))
    return exc


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            text = _first_message(value)
            if text:
                return text if key in ("detail", "non_field_errors") else f"{key}: {text}"
        return ""
    if isinstance(detail, list | tuple):
        return next((t for t in (_first_message(v) for v in detail) if t), "")
    return str(detail)


def bad_request(message: str, **extra) -> exceptions.ValidationError:
    return exceptions.ValidationError({"detail": message, **extra})


def translate(exc: Exception) -> Exception:
    """Domain errors → DRF errors (400, or 403 for who-may-act refusals); everything else unchanged."""
    if isinstance(exc, NotPermitted):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, DomainError):
        return bad_request(str(exc))
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return exceptions.ValidationError(messages)
    return exc


def handle(exc, context):
    if isinstance(exc, BatchRefused):
        # Every refused item with its (integer) id and reason, so an integration can fix and
        # resend the batch. Built here because DRF's error details would turn the ids into strings.
        set_rollback()
        errors = [{"id": pk, "reason": reason} for pk, reason in exc.errors]
        return Response({"detail": str(exc), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(translate(in_chinese(exc)), context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        data = response.data
        if isinstance(data, list):
            response.data = {"detail": _first_message(data), "errors": data}
        elif isinstance(data, dict) and "detail" not in data:
            # Field errors keep their shape for programs; `detail` is the sentence for people.
            response.data = {"detail": "提交的数据有误：" + _first_message(data), "errors": data}
        elif isinstance(data, dict) and isinstance(data["detail"], list):
            response.data["detail"] = _first_message(data["detail"])
    return response


class ChineseErrorsMixin:
    # For APIView subclasses: route exceptions through `handle` (the settings stay untouched).
    # A comment, not a docstring: drf-spectacular publishes docstrings as operation descriptions.

    def get_exception_handler(self):
        return handle
