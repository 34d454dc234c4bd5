"""Input fields that parse once, at the edge, into what the services take."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jinjie.core.text import to_halfwidth
from jinjie.rules.calendar import Period


@extend_schema_field({"type": "string", "pattern": r"^\d{4}Q[1-4]$", "example": "2026Q3"})
class PeriodField(serializers.Field):
    """A 测评期 as YYYYQn (full-width digits accepted) → rules.calendar.Period; the same Chinese
    error as the web form and the command line for the same mistake."""

    default_error_messages = {"invalid": "测评期格式应为 YYYYQn，例如 2026Q3"}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 10:
            self.fail("invalid")
        try:
            return Period.parse(to_halfwidth(data).strip())
        except ValueError as e:
            raise serializers.ValidationError(str(e)) from None

    def to_representation(self, value):
        return str(value)


@extend_schema_field(OpenApiTypes.STR)
class KeyField(serializers.CharField):
    """A key typed by people (工号 …): full-width letters and digits read as ASCII, trimmed."""

    def to_internal_value(self, data):
        return super().to_internal_value(to_halfwidth(data) if isinstance(data, str) else data)
