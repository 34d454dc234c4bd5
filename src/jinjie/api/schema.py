"""What the OpenAPI schema says about refusals: the bodies api.errors.handle returns, on every operation.

Every refusal is a 4xx whose body has a Chinese `detail` (ErrorSerializer). The schema class below
adds the refusals an operation can give to what its view declares, by what the operation takes:

- 401 and 403 on every operation (no or a bad token; a role without the right, or a session call
  without its CSRF token);
- 400 where there is input to refuse (a request body or a query parameter other than `page`) and on
  every write (its service may refuse it for the state of things),
  and 415 where there is a body (JSON, or multipart for a file; anything else is refused);
- 404 where something may be "not found, or not in your scope": a path parameter, a page number
  past the end, or any write (the units, proposals or items a write names are looked up in scope).

A view declares what is particular to it with extend_schema(responses=…) — e.g. the batches'
400 (BATCH_REFUSAL: the refused items), the import report, the token's 429 — and opts out of an
error it cannot give with `schema_omits_errors` (the token endpoint asks for no login and finds
nothing: no 401, 403 or 404). api/urls.py's views get this class through
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]. An input serializer built on api.serializers.StrictInput
is published with additionalProperties: false, as it refuses undeclared fields.

tests/api/test_schemathesis.py holds every operation to what this says.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

PAGE_PARAMETERS = frozenset({"page"})

ERROR_DESCRIPTIONS = {
    400: "请求有误，未写入任何数据：detail 为中文说明；字段有误时 errors 按字段列出问题",
    401: "未登录，或令牌无效(请求头 Authorization: Token …)",
    403: "您的角色无权执行此操作(会话方式调用的写操作还需 X-CSRFToken 请求头)",
    404: "没有找到，或不在您的数据范围内(页码无效或超出范围同样如此)",
    415: "请求体的格式不受支持(应为 application/json；上传文件用 multipart/form-data)",
    429: "登录失败次数过多，暂时锁定：Retry-After 为需等待的秒数",
}


# `errors` as api.errors.handle passes DRF's validation errors on: field → messages (nested as the
# input is), or a list of messages. Declared so that a batch's refusal (a list of {id, reason}) is
# told apart from it.
@extend_schema_field(
    {
        "oneOf": [
            {"type": "object", "additionalProperties": {}, "description": "字段 → 该字段的问题(中文)"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "问题列表(中文)"},
        ]
    }
)
class FieldErrorsField(serializers.JSONField):
    pass


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")
    errors = FieldErrorsField(required=False, help_text="字段有误时：各字段的问题")


class RefusedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="不能办理的建议编号")
    reason = serializers.CharField(help_text="原因(中文)")


class BatchRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明：共几项不能办理，全部未处理")
    errors = RefusedItemSerializer(many=True, min_length=1, help_text="每一项不能办理的建议及原因")


def error_response(code: int, serializer=ErrorSerializer, description: str | None = None) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description or ERROR_DESCRIPTIONS[code])


# A batch (submit, decide, publish) is all or nothing: its 400 is either bad input or the list of
# the items that could not be done (core.errors.BatchRefused).
BATCH_REFUSAL = error_response(
    400,
    PolymorphicProxySerializer(
        component_name="ErrorOrBatchRefusal",
        serializers=[ErrorSerializer, BatchRefusalSerializer],
        resource_type_field_name=None,
    ),
    "请求有误(Error)，或批量操作中有不能办理的建议(BatchRefusal，全部未处理)",
)


class JinjieAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in sorted(self._error_statuses(operation)):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_statuses(self, operation) -> set[int]:
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p["in"] == "query"}
        codes = {401, 403}
        # Any write may be refused by its service (a DomainError: the state, the window, …), body or not.
        if "requestBody" in operation or query - PAGE_PARAMETERS or self.method != "GET":
            codes.add(400)
        if "requestBody" in operation:
            codes.add(415)
        if self.method != "GET" or query & PAGE_PARAMETERS or any(p["in"] == "path" for p in parameters):
            codes.add(404)
        return codes - set(getattr(self.view, "schema_omits_errors", ()))


class StrictInputSchema(OpenApiSerializerExtension):
    # api.serializers.StrictInput refuses fields it does not declare: the schema says so.
    target_class = "jinjie.api.serializers.StrictInput"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        return {**schema, "additionalProperties": False}
