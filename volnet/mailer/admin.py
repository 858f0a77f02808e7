from django.contrib import admin

from volnet.mailer.models import Mail
from volnet.viewonly import ViewOnlyAdmin


@admin.register(Mail)
class MailAdmin(ViewOnlyAdmin):
    """Read only: the operator sees what waits, what failed and why; the sender alone changes a row."""

    list_display = ["template", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to"]
    exclude = ["text", "html"]  # a mail's body may hold a reset link: not for the admin's screen
