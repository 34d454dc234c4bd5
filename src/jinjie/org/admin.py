from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("path", "kind", "depth")
    list_filter = ("kind",)
    search_fields = ("name", "path")
    autocomplete_fields = ("parent",)


@admin.register(User)
class JinjieUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "org_unit", "employee", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("org_unit", "employee")
    fieldsets = (*UserAdmin.fieldsets, ("岗位与数据范围", {"fields": ("role", "org_unit", "track", "employee")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("岗位与数据范围", {"fields": ("role", "org_unit", "track", "employee")}))
