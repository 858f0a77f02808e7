from django.contrib import admin

from volnet.honorcard.models import (
    AwardApplication,
    CardCheck,
    CardEvent,
    CardToken,
    HonorCard,
    HonorCardApplication,
    Venue,
)
from volnet.viewonly import ViewOnlyAdmin


@admin.register(HonorCard)
class HonorCardAdmin(admin.ModelAdmin):
    list_display = ["number", "volunteer", "authority", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    raw_id_fields = ["volunteer"]


class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "unit", "authority", "status", "hours", "applied_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["volunteer", "unit", "applied_by", "decided_by"]


@admin.register(HonorCardApplication)
class HonorCardApplicationAdmin(ApplicationAdmin):
    raw_id_fields = [*ApplicationAdmin.raw_id_fields, "card"]


@admin.register(AwardApplication)
class AwardApplicationAdmin(ApplicationAdmin):
    raw_id_fields = [*ApplicationAdmin.raw_id_fields, "award"]


@admin.register(CardToken)
class CardTokenAdmin(ViewOnlyAdmin):
    """Read-only: tokens are issued and consumed by the card page and the venue check only."""

    list_display = ["card", "created_at", "expires_at", "used_at", "voided_at"]
    raw_id_fields = ["card"]


@admin.register(CardCheck)
class CardCheckAdmin(ViewOnlyAdmin):
    list_display = ["at", "card", "verdict", "ip_address"]
    list_filter = ["verdict"]
    raw_id_fields = ["card", "token"]


@admin.register(CardEvent)
class CardEventAdmin(ViewOnlyAdmin):
    """Read-only: each step is written by honorcard.lifecycle with its audit entry."""

    list_display = ["at", "card", "action", "actor", "reason"]
    list_filter = ["action"]
    raw_id_fields = ["card", "actor"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    """Authorities keep their venues on the 榮譽卡優惠場所 pages (audited); here only to look them up."""

    list_display = ["name", "authority", "city", "district", "category", "valid_from", "valid_to", "ended_at"]
    list_filter = ["city", "category"]
    search_fields = ["name", "address"]
