from django.contrib import admin

from .models import AbilityScore, MonthlyScore


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(admin.ModelAdmin):
    list_display = ("employee", "month", "score")
    list_filter = ("month",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)


@admin.register(AbilityScore)
class AbilityScoreAdmin(admin.ModelAdmin):
    list_display = ("employee", "period", "score")
    list_filter = ("period",)
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)
