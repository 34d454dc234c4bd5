from django.contrib import admin

from jinjie.people.admin import RevisionOnEditMixin

from .models import AbilityScore, MonthlyScore


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "scores"
    list_display = ("employee", "month", "score")
    list_filter = ("month",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)


@admin.register(AbilityScore)
class AbilityScoreAdmin(RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "ability"
    list_display = ("employee", "period", "score")
    list_filter = ("period",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)
