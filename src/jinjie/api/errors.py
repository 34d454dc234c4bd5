"""Every refusal the API gives is a 4xx with a Chinese `detail` — never a 500.

Domain services raise their own errors (WorkflowError, Django's ValidationError, RuleBookError …)
with Chinese messages; the views translate them here instead of letting them escape as 500s.
DRF's own messages are already Chinese (LANGUAGE_CODE zh-hans).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


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
    """Domain errors → DRF errors (400); everything else unchanged."""
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return exceptions.ValidationError(messages)
    for domain_error in domain_errors():
        if isinstance(exc, domain_error):
            return bad_request(str(exc))
    return exc


def domain_errors() -> tuple[type[Exception], ...]:
    from jinjie.evaluations.services import EvaluationError
    from jinjie.rulebooks.selectors import NoRuleBookError
    from jinjie.rules.book import RuleBookError

    return (EvaluationError, NoRuleBookError, RuleBookError)


def handle(exc, context):
    response = exception_handler(translate(exc), context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        data = response.data
        if isinstance(data, list):
            response.data = {"detail": _first_message(data), "errors": data}
        elif isinstance(data, dict) and "detail" not in data:
            # Field errors keep their shape for programs; `detail` is the sentence for people.
            response.data = {"detail": "提交的数据有误：" + _first_message(data), "errors": data}
    return response


class ChineseErrorsMixin:
    """For APIView subclasses: route exceptions through `handle` (settings stay untouched)."""

    def get_exception_handler(self):
        return handle


def error_response(message: str, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": message}, status=code)
