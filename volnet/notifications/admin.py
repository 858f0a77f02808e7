from django.contrib import admin

from volnet.notifications.models import MailOptOut, Notification
from volnet.viewonly import ViewOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin):
    """Read only: what each person was told and whether they read it."""

    list_display = ["kind", "person", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]


@admin.register(MailOptOut)
class MailOptOutAdmin(ViewOnlyAdmin):
    list_display = ["person", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]
