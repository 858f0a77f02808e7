from django.contrib import admin

from volnet.reports.models import ResultsReport, ServicePlan
from volnet.viewonly import ViewOnlyAdmin


@admin.register(ServicePlan)
class ServicePlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "period_start", "period_end", "filed_at"]
    list_filter = ["year"]
    raw_id_fields = ["unit", "filed_by"]


@admin.register(ResultsReport)
class ResultsReportAdmin(ViewOnlyAdmin):
    """Read only: a report's figures come from the records and its review from the authority's desk."""

    list_display = ["unit", "year", "status", "filed_at", "reviewed_at"]
    list_filter = ["year", "status"]
    raw_id_fields = ["unit", "filed_by", "reviewed_by"]
