"""Django admin for HR's master data. ID numbers stay masked here; the full value is never shown."""

from django import forms
from django.contrib import admin
from django.db import models

from jinjie.core.values import to_json
from jinjie.org.services import logins_of_departed_deactivate

from .idcard import mask_id_number
from .models import (
    AnnualRating,
    Contribution,
    Employee,
    PiiAccessLog,
    Publication,
    Qualification,
    RankChange,
    RecordRevision,
    TrainingRecord,
    Violation,
    validate_id_number,
)


class RevisionOnEditMixin:
    """An edit in the admin keeps the replaced values, as a re-import does (SPEC 6), in the same
    transaction as the save (the admin's change view is atomic)."""

    revision_kind = ""

    @staticmethod
    def _value(obj, name):
        value = getattr(obj, name)
        if name == "id_number":
            return mask_id_number(value)
        if isinstance(value, models.Model):
            return getattr(value, "path", None) or str(value)
        return to_json(value)

    def save_model(self, request, obj, form, change):
        names = []
        if change:
            names = ["id_number" if n == "new_id_number" else n for n in form.changed_data]
            names = [n for n in names if hasattr(obj, n)]
            before = type(obj).objects.get(pk=obj.pk)
            old = {n: self._value(before, n) for n in names}
        super().save_model(request, obj, form, change)
        if isinstance(obj, Employee):
            logins_of_departed_deactivate()  # 离岗 staff lose their login at once
        if names:
            employee = obj if isinstance(obj, Employee) else obj.employee
            RecordRevision.objects.create(
                kind=self.revision_kind,
                record_key=f"{employee.employee_no}:{type(obj).__name__}:{obj.pk}",
                employee=employee,
                old_values=old,
                new_values={n: self._value(obj, n) for n in names},
                source="管理后台",
                changed_by=request.user,
            )


class EmployeeForm(forms.ModelForm):
    # The stored number is never put into the page; typing a new one replaces it.
    new_id_number = forms.CharField(label="身份证号(录入新值)", required=False, max_length=18, validators=[validate_id_number])

    class Meta:
        model = Employee
        fields = (
            "employee_no", "name", "org_unit", "track", "role_start_date", "hire_date", "education",
            "vocational_level", "pay_grade", "law_cert_valid_until", "gender", "birth_date", "phone", "status",
        )

    def save(self, commit=True):
        if self.cleaned_data.get("new_id_number"):
            self.instance.id_number = self.cleaned_data["new_id_number"].upper()
        return super().save(commit=commit)


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Employee)
class EmployeeAdmin(RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "employees"
    form = EmployeeForm
    list_display = ("employee_no", "name", "org_unit", "track", "current_rank", "rank_since", "status")
    list_filter = ("track", "status", "current_rank", "education")
    search_fields = ("employee_no", "name")
    autocomplete_fields = ("org_unit",)
    readonly_fields = ("masked_id_number", "current_rank", "rank_since")
    list_select_related = ("org_unit",)

    def has_delete_permission(self, request, obj=None):
        return False  # 员工离岗请修改状态；职级历史不可删除

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return obj.masked_id_number


class EmployeeRecordAdmin(RevisionOnEditMixin, admin.ModelAdmin):
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(EmployeeRecordAdmin):
    revision_kind = "training"
    list_display = ("employee", "date", "kind", "course", "level", "score", "passed")
    list_filter = ("kind",)


@admin.register(Violation)
class ViolationAdmin(EmployeeRecordAdmin):
    revision_kind = "violations"
    list_display = ("employee", "date", "severity", "description")
    list_filter = ("severity",)


@admin.register(Contribution)
class ContributionAdmin(EmployeeRecordAdmin):
    revision_kind = "contributions"
    list_display = ("employee", "date", "description")


@admin.register(AnnualRating)
class AnnualRatingAdmin(EmployeeRecordAdmin):
    revision_kind = "annual"
    list_display = ("employee", "year", "kind", "rating")
    list_filter = ("kind", "year")


@admin.register(Publication)
class PublicationAdmin(EmployeeRecordAdmin):
    revision_kind = "publications"
    list_display = ("employee", "date", "title", "journal_level", "author_role")


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyHistoryAdmin):
    # Insert-only: a correction is a new record (people.services.qualification_correct, on the
    # employee page), never an edit here.
    list_display = ("employee", "level", "granted_date", "corrects", "reason", "source_ref", "recorded_at")
    search_fields = ("employee__employee_no", "employee__name")
    list_select_related = ("employee",)

    def get_queryset(self, request):
        return Qualification.history.all()


@admin.register(RankChange)
class RankChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("employee", "effective_date", "from_rank", "to_rank", "source", "reason", "recorded_at")
    search_fields = ("employee__employee_no", "employee__name")
    list_select_related = ("employee",)


@admin.register(RecordRevision)
class RecordRevisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("kind", "record_key", "changed_at", "changed_by", "source")
    list_filter = ("kind",)


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(ReadOnlyHistoryAdmin):
    list_display = ("accessed_at", "user", "employee", "field", "purpose")
