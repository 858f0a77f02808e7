from django.contrib import admin

from volnet.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "volunteer", "unit", "object_type", "object_id"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "volunteer", "unit"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
