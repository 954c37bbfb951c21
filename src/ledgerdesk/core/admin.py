from django.contrib import admin

from ledgerdesk.core.models import ApiToken, AuditEntry, ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """For logs: visible to those allowed, changeable by nobody, the superuser included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "at"


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "source_name", "outcome", "added", "updated", "skipped", "held")
    list_filter = ("kind", "outcome")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
    fields = ("name", "user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are issued with `ledgerdesk api-token`, which shows the key once
