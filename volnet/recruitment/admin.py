from django.contrib import admin

from volnet.recruitment.models import Application, Posting


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "service_item", "start_date", "end_date", "quota", "is_published"]
    raw_id_fields = ["unit", "created_by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["posting", "volunteer", "status", "applied_at"]
    list_filter = ["status"]
    raw_id_fields = ["posting", "volunteer", "decided_by"]
