from django.contrib import admin

from volnet.documents.models import Document
from volnet.viewonly import ViewOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ViewOnlyAdmin):
    """Read-only: a print is recorded when it is issued and withdrawn through documents.services."""

    list_display = ["code", "kind", "masked_name", "issuer", "issued_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["code"]
    raw_id_fields = ["person", "superseded_by"]
