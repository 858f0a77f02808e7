from django.contrib import admin

from volnet.statistics.models import AreaFigure, InsuredCount, ServiceMonth, VolunteerCount
from volnet.viewonly import ViewOnlyAdmin


class SummaryAdmin(ViewOnlyAdmin):
    """Read only: the summary tables follow the records (manage.py rebuild_statistics sums them again)."""

    raw_id_fields = ["unit"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceMonth)
class ServiceMonthAdmin(SummaryAdmin):
    list_display = ["unit", "year", "month", "service_item", "hours", "records"]
    list_filter = ["year"]


@admin.register(VolunteerCount)
class VolunteerCountAdmin(SummaryAdmin):
    list_display = ["unit", "sex", "birth_year", "active", "trained", "people"]
    list_filter = ["active", "trained", "sex"]


@admin.register(InsuredCount)
class InsuredCountAdmin(SummaryAdmin):
    list_display = ["unit", "year", "people"]
    list_filter = ["year"]


@admin.register(AreaFigure)
class AreaFigureAdmin(SummaryAdmin):
    raw_id_fields = ["authority"]
    list_display = ["figure", "authority", "sector", "category", "year", "month", "label", "active", "trained",
                    "hours", "count"]
    list_filter = ["figure", "year"]
