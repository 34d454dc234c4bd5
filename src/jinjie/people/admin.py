"""Django admin for HR's master data. ID numbers stay masked here; the full value is never shown."""

from django import forms
from django.contrib import admin
from django.db import models

from jinjie.core.admin_site import ChineseHelpMixin
from jinjie.core.values import to_json
from jinjie.org.authority import KIND_LABELS
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
    new_id_number = forms.CharField(label="身份证号(录入新值)", required=False, max_length=18, validators=[validate_id_number],
                                    help_text="不显示已存的身份证号；填写新号码即替换，留空则不变")

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
class EmployeeAdmin(ChineseHelpMixin, RevisionOnEditMixin, admin.ModelAdmin):
    revision_kind = "employees"
    help_texts = {
        "employee_no": "工号唯一；导入数据按工号对应员工",
        "org_unit": "员工所在的县局·营销部或部门",
        "track": "客户经理、市场管理员参加季度职级测评；专卖管理员按等级申报",
        "role_start_date": "计算本岗位任职月数的起点",
        "pay_grade": "工资档次：数字越小档次越高",
        "law_cert_valid_until": "市场管理员、专卖管理员的执法资格有效期",
        "status": "离岗人员不参加季度测评",
    }
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


class EmployeeRecordAdmin(ChineseHelpMixin, RevisionOnEditMixin, admin.ModelAdmin):
    search_fields = ("employee__employee_no", "employee__name")
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(EmployeeRecordAdmin):
    revision_kind = "training"
    help_texts = {
        "kind": "培训、考试(岗位知识考试，用于测评的培训成绩)或等级考试(专卖管理员)",
        "level": "等级考试所考的专卖管理员等级",
        "score": "成绩 0–100",
        "passed": "是否合格(等级考试须合格)",
    }
    list_display = ("employee", "date", "kind", "course", "level", "score", "passed")
    list_filter = ("kind",)


@admin.register(Violation)
class ViolationAdmin(EmployeeRecordAdmin):
    revision_kind = "violations"
    help_texts = {"severity": "一般、较重或严重；较重及以上的可由考评委员会即时降档/降级，测评期内有违规的不晋升"}
    list_display = ("employee", "date", "severity", "description")
    list_filter = ("severity",)


@admin.register(Contribution)
class ContributionAdmin(EmployeeRecordAdmin):
    revision_kind = "contributions"
    list_display = ("employee", "date", "description")


@admin.register(AnnualRating)
class AnnualRatingAdmin(EmployeeRecordAdmin):
    revision_kind = "annual"
    help_texts = {"kind": "年度考核或专卖双能", "rating": "年度考核：优秀/称职/基本称职/不称职；专卖双能：优秀/良好/合格/不合格"}
    list_display = ("employee", "year", "kind", "rating")
    list_filter = ("kind", "year")


@admin.register(Publication)
class PublicationAdmin(EmployeeRecordAdmin):
    revision_kind = "publications"
    help_texts = {"journal_level": "市级、省级或国家级", "author_role": "独著、第一作者或其他(只有独著和第一作者计入申报条件)"}
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


class RevisionKindFilter(admin.SimpleListFilter):
    title = "数据类别"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = RecordRevision.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(k, KIND_LABELS.get(k, k)) for k in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(RecordRevision)
class RecordRevisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("kind_label", "record_key", "changed_at", "changed_by", "source")
    list_filter = (RevisionKindFilter,)

    @admin.display(description="数据类别", ordering="kind")
    def kind_label(self, obj):
        # Stored as the import kind's key (employees, scores …); shown by its Chinese name.
        return KIND_LABELS.get(obj.kind, obj.kind)


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(ReadOnlyHistoryAdmin):
    list_display = ("accessed_at", "user", "employee", "field", "purpose")
