from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from jinjie.core.admin_site import ChineseHelpMixin

from .models import OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(ChineseHelpMixin, admin.ModelAdmin):
    help_texts = {
        "name": "单位名称，不含上级单位的名称",
        "parent": "上级单位；省公司不填",
        "kind": "省公司、市局(分局)、县局·营销部或部门；评定标准由省公司或市局(分局)制定",
        "code": "单位编码(可选)",
    }
    list_display = ("path", "kind", "depth")
    list_filter = ("kind",)
    search_fields = ("name", "path")
    autocomplete_fields = ("parent",)


@admin.register(User)
class JinjieUserAdmin(ChineseHelpMixin, UserAdmin):
    help_texts = {
        "role": "角色决定可以办理哪些事项(如考评委员会审批、人事劳资维护档案)",
        "org_unit": "数据范围：只能查看和办理本单位及下属单位的数据",
        "track": "序列审核人员审核的岗位序列：营销中心填“客户经理”，专卖监督管理科填“市场管理员”",
        "employee": "员工本人的账号关联其员工档案；工作人员本人也是员工的，关联后遵守回避规定",
    }
    list_display = ("username", "last_name", "first_name", "role", "org_unit", "employee", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("org_unit", "employee")
    fieldsets = (*UserAdmin.fieldsets, ("岗位与数据范围", {"fields": ("role", "org_unit", "track", "employee")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("岗位与数据范围", {"fields": ("role", "org_unit", "track", "employee")}))
