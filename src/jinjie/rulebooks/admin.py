from django.contrib import admin, messages

from .models import BookStatus, RuleBook


@admin.register(RuleBook)
class RuleBookAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "effective_from", "status", "published_at", "note")
    list_filter = ("kind", "status")
    readonly_fields = ("version", "status", "created_at", "created_by", "published_at", "published_by")
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.status == BookStatus.PUBLISHED:
            return [f.name for f in RuleBook._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return bool(obj is None or obj.status == BookStatus.DRAFT)

    def save_model(self, request, obj, form, change):
        from jinjie.rules.book import RuleBookError

        from .services import rulebook_validate

        try:
            rulebook_validate(kind=obj.kind, document=obj.document)
        except RuleBookError as e:
            messages.error(request, f"标准内容有误，已保存为草稿但不能发布：{e}")
        if not change:
            last = RuleBook.objects.filter(kind=obj.kind).order_by("-version").first()
            obj.version = (last.version + 1) if last else 1
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选草稿")
    def publish(self, request, queryset):
        from jinjie.rules.book import RuleBookError

        from .services import rulebook_publish

        for book in queryset.filter(status=BookStatus.DRAFT):
            try:
                rulebook_publish(book=book, actor=request.user)
                messages.success(request, f"已发布 {book}")
            except RuleBookError as e:
                messages.error(request, f"{book} 未发布：{e}")
