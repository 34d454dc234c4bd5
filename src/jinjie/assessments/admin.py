from django.contrib import admin

from jinjie.core.admin_site import ChineseHelpMixin
from jinjie.people.admin import RevisionOnEditMixin

from .models import AbilityScore, MonthlyScore


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(ChineseHelpMixin, RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "scores"
    help_texts = {"month": "月份，格式 YYYY-MM，例如 2026-07", "score": "月度绩效考核得分 0–100，可含小数",
                  "items": "分项得分(JSON)，各项之和应等于考核得分；可不填"}
    list_display = ("employee", "month", "score")
    list_filter = ("month",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)


@admin.register(AbilityScore)
class AbilityScoreAdmin(ChineseHelpMixin, RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "ability"
    help_texts = {"period": "测评期，格式 YYYYQn，例如 2026Q3", "score": "综合能力测评得分 0–100"}
    list_display = ("employee", "period", "score")
    list_filter = ("period",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)
