from django.contrib import admin

from volnet.honorcard.models import HonorCard


@admin.register(HonorCard)
class HonorCardAdmin(admin.ModelAdmin):
    list_display = ["number", "volunteer", "authority", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    raw_id_fields = ["volunteer"]
