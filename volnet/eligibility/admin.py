from django.contrib import admin

from volnet.eligibility.models import CertificateRequest, CertificateReview, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "level", "min_months", "min_hours", "min_minutes", "deadline_days",
                    "effective_from", "effective_to"]
    list_filter = ["scheme"]


class CertificateReviewInline(admin.TabularInline):
    model = CertificateReview
    extra = 0
    raw_id_fields = ["reviewer"]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "unit", "purpose", "status", "submitted_at", "due_on"]
    list_filter = ["status"]
    raw_id_fields = ["volunteer", "unit", "filed_by", "certificate"]
    inlines = [CertificateReviewInline]


@admin.register(CertificateReview)
class CertificateReviewAdmin(admin.ModelAdmin):
    list_display = ["request", "step", "decision", "reviewer", "at"]
    raw_id_fields = ["request", "reviewer"]
