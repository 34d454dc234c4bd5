"""Serializers: read shapes are explicit field lists, write shapes accept only what a caller may set.

Nothing here writes a model: input serializers validate, the views hand the values to a service.
"""

from rest_framework import serializers

from jinjie.people.models import LADDER_RANKS, MONOPOLY_LEVELS, Employee, RankChange, Track

# --- employees -----------------------------------------------------------------------------------


class EmployeeFilterSerializer(serializers.Serializer):
    org = serializers.CharField(required=False, help_text="单位路径，含下级单位，如 某省公司/甲市局")
    track = serializers.ChoiceField(choices=Track.choices, required=False, help_text="岗位序列")
    rank = serializers.ChoiceField(
        choices=[(r, r) for r in LADDER_RANKS + MONOPOLY_LEVELS], required=False, help_text="当前职级"
    )


class EmployeeSerializer(serializers.ModelSerializer):
    org_unit = serializers.CharField(source="org_unit.path", read_only=True)
    # The full ID number never leaves the server through the API (only the logged reveal shows it).
    id_number = serializers.CharField(source="masked_id_number", read_only=True, help_text="身份证号(已脱敏)")

    class Meta:
        model = Employee
        fields = (
            "id", "employee_no", "name", "org_unit", "track", "current_rank", "rank_since", "role_start_date",
            "hire_date", "education", "vocational_level", "pay_grade", "law_cert_valid_until", "gender",
            "id_number", "status",
        )
        read_only_fields = fields


class RankChangeSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = RankChange
        fields = ("effective_date", "from_rank", "to_rank", "reason", "source", "source_ref")
        read_only_fields = fields


class EmployeeDetailSerializer(serializers.Serializer):
    employee = EmployeeSerializer()
    rank_history = RankChangeSerializer(many=True, help_text="职级变动(按生效日期)")
