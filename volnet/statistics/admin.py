from django.contrib import admin

from volnet.statistics.models import ServiceMonth, VolunteerCount


class SummaryAdmin(admin.ModelAdmin):
    """Read only: the summary tables follow the records (manage.py rebuild_statistics sums them again)."""

    raw_id_fields = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceMonth)
class ServiceMonthAdmin(SummaryAdmin):
    list_display = ["unit", "year", "month", "service_item", "hours", "records"]
    list_filter = ["year"]


@admin.register(VolunteerCount)
class VolunteerCountAdmin(SummaryAdmin):
    list_display = ["unit", "sex", "birth_year", "active", "people"]
    list_filter = ["active", "sex"]
