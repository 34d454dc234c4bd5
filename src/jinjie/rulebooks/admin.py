"""Rule books in the admin: read-only. Drafting, checking and publishing go through the 评定标准
pages (/rulebooks/), which call rulebooks.services — one way to write a rule book, validated."""

from django.contrib import admin, messages

from .models import BookStatus, RuleBook


@admin.register(RuleBook)
class RuleBookAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "effective_from", "status", "published_at", "note")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in RuleBook._meta.fields]
    actions = ["publish"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="发布所选草稿", permissions=["view"])
    def publish(self, request, queryset):
        from jinjie.rules.book import RuleBookError

        from .services import rulebook_publish

        for book in queryset.filter(status=BookStatus.DRAFT):
            try:
                rulebook_publish(book=book, actor=request.user)
                messages.success(request, f"已发布 {book}")
            except RuleBookError as e:
                messages.error(request, f"{book} 未发布：{e}")
