"""Every refusal the API gives is a 4xx with a Chinese `detail` — never a 500.

Services refuse with a DomainError (jinjie.core.errors) whose message is the Chinese sentence:
NotPermitted → 403, BatchRefused → 400 listing every refused item, any other DomainError → 400.
Django's ValidationError → 400 with its messages. DRF's own messages are already Chinese
(LANGUAGE_CODE zh-hans).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from jinjie.core.errors import BatchRefused, DomainError, NotPermitted


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
    response = exception_handler(translate(exc), context)
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
