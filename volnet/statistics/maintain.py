"""Keeping the summary tables true: each refresh deletes a slice and sums it again from the records with one
INSERT … SELECT … GROUP BY (the ORM compiles the SELECT, so the same code runs on SQLite and PostgreSQL).
Called inside the transaction of the write that changed the slice (`statistics.receivers`); `rebuild`
does every slice, unit by unit, for `manage.py rebuild_statistics`."""

from django.db import connections, router, transaction
from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from volnet.records.models import ServiceRecord
from volnet.statistics.models import ServiceMonth, VolunteerCount
from volnet.units.models import Membership


def _insert_select(model, queryset):
    """INSERT INTO model's table the rows of `queryset` (a values().annotate() query whose names are the
    model's field names), in one statement."""
    query = queryset.query
    names = list(query.selected)  # the SELECT's columns in the order values() named them (Django 5.2)
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, params = query.get_compiler(alias).as_sql()
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) {sql}", params)


def _service_months(records):
    return (records.order_by().annotate(year=ExtractYear("start_date"), month=ExtractMonth("start_date"))
            .values("unit", "year", "month", "service_item")
            .annotate(hours=Sum("hours"), records=Count("id")))


def refresh_service_months(unit_ids, months=None):
    """Sum again the hours of `unit_ids` in `months` (a set of (year, month); None: every month)."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return
    with transaction.atomic(using=router.db_for_write(ServiceMonth)):
        summary = ServiceMonth.objects.filter(unit_id__in=unit_ids)
        records = ServiceRecord.objects.counting().filter(unit_id__in=unit_ids)
        if months is not None:
            months = sorted(set(months))
            if not months:
                return
            years = sorted({year for year, _month in months})
            summary = summary.filter(year__in=years)
            records = records.filter(start_date__year__in=years)
        summary.delete()
        _insert_select(ServiceMonth, _service_months(records))
        # the other months of the years touched were deleted and summed again with them: still true


def _volunteer_counts(memberships):
    return (memberships.order_by()
            .annotate(sex=F("volunteer__sex"), birth_year=ExtractYear("volunteer__birth_date"),
                      active=Case(When(status=Membership.Status.ACTIVE, then=Value(True)), default=Value(False)))
            .values("unit", "sex", "birth_year", "active")
            .annotate(people=Count("id")))


def refresh_volunteer_counts(unit_ids):
    unit_ids = list(unit_ids)
    if not unit_ids:
        return
    with transaction.atomic(using=router.db_for_write(VolunteerCount)):
        VolunteerCount.objects.filter(unit_id__in=unit_ids).delete()
        _insert_select(VolunteerCount, _volunteer_counts(Membership.objects.accepted().filter(unit_id__in=unit_ids)))


def rebuild(unit_ids, progress=None):
    """Every slice of the units `unit_ids`, a batch of units per transaction; `progress(n)` after each batch."""
    unit_ids = list(unit_ids)
    for start in range(0, len(unit_ids), 50):
        batch = unit_ids[start:start + 50]
        refresh_service_months(batch)
        refresh_volunteer_counts(batch)
        if progress is not None:
            progress(len(batch))
