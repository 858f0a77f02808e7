from django.contrib import admin

from volnet.notifications.models import MailOptOut, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: what each person was told and whether they read it."""

    list_display = ["kind", "person", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MailOptOut)
class MailOptOutAdmin(admin.ModelAdmin):
    list_display = ["person", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
