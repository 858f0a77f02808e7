from django.contrib import admin

from volnet.records import models
from volnet.viewonly import ViewOnlyAdmin


class EnteredRecordAdmin(admin.ModelAdmin):
    raw_id_fields = ["volunteer", "unit", "registrant"]


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(EnteredRecordAdmin):
    list_display = ["volunteer", "course", "kind", "category", "start_date", "minutes", "unit"]
    list_filter = ["kind", "category"]


@admin.register(models.ServiceRecord)
class ServiceRecordAdmin(EnteredRecordAdmin):
    list_display = ["volunteer", "service_item", "content", "start_date", "end_date", "hours", "unit", "status"]
    list_filter = ["status", "service_item"]


@admin.register(models.OtherItem)
class OtherItemAdmin(EnteredRecordAdmin):
    list_display = ["volunteer", "title", "start_date", "unit"]


@admin.register(models.Award)
class AwardAdmin(EnteredRecordAdmin):
    list_display = ["volunteer", "kind", "name", "level", "awarded_on"]
    list_filter = ["kind"]


@admin.register(models.RecordBook)
class RecordBookAdmin(admin.ModelAdmin):
    list_display = ["number", "volunteer", "authority", "issued_on", "status", "category"]
    list_filter = ["status", "category"]
    raw_id_fields = ["volunteer", "applied_by"]


@admin.register(models.RecordBookApplication)
class RecordBookApplicationAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "unit", "kind", "status", "applied_at"]
    raw_id_fields = ["volunteer", "unit", "applied_by", "decided_by", "book"]


@admin.register(models.RecordBookSequence)
class RecordBookSequenceAdmin(admin.ModelAdmin):
    list_display = ["authority", "prefix", "last_number"]


class CoverageInline(admin.TabularInline):
    model = models.InsuranceCoverage
    raw_id_fields = ["volunteer"]
    extra = 0


@admin.register(models.InsurancePolicy)
class InsurancePolicyAdmin(admin.ModelAdmin):
    list_display = ["insurer", "policy_number", "unit", "start_date", "end_date"]
    raw_id_fields = ["unit", "registrant"]
    inlines = [CoverageInline]


@admin.register(models.InsuranceCoverage)
class InsuranceCoverageAdmin(admin.ModelAdmin):
    list_display = ["policy", "volunteer"]
    raw_id_fields = ["policy", "volunteer"]


@admin.register(models.PerformanceCertificate)
class PerformanceCertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "volunteer", "unit", "issued_on", "hours", "status"]
    list_filter = ["status"]
    search_fields = ["number"]
    raw_id_fields = ["volunteer", "unit", "issued_by"]


@admin.register(models.CorrectionRequest)
class CorrectionRequestAdmin(ViewOnlyAdmin):
    """Read only: requests are sent by volunteers and answered by their units (records.corrections)."""

    list_display = ["volunteer", "kind", "record_id", "unit", "status", "created_at", "answered_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["volunteer", "unit", "answered_by"]
