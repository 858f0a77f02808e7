"""Read-side queries over one volunteer's records: what 我的檔案 and the record book show.

Every function takes the volunteer (a User) and returns rows of that volunteer only; no function
here ever reads another person's records. Lists are ordered newest first. Nothing here writes.

Which service hours and trainings count is the models' rule (`ServiceRecord.COUNTS`,
`TrainingRecord.COUNTS`, `.objects.counting()`): approved, not annotated as misuse (管理辦法 §6), and
entered by a unit the volunteer accepted (domain.md §3.3, §9.12). Records that do not count are still
listed, marked, so the volunteer sees why they do not add up. A record belongs to the year it started in.
"""

import dataclasses
import functools
from decimal import Decimal

from django.db import connections, router
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from volnet.records.models import (
    Award,
    Consent,
    InsurancePolicy,
    OtherItem,
    PerformanceCertificate,
    RecordBook,
    RecordBookApplication,
    ServiceRecord,
    TrainingRecord,
)

APPROVED = ServiceRecord.Status.APPROVED
ZERO = Decimal("0")


class Year(ExtractYear):
    """The year of a date, computed by the database itself.

    Django's ExtractYear on SQLite calls a Python function for every row; dates are stored there as
    `YYYY-MM-DD` text, so the first four characters are the year. PostgreSQL keeps EXTRACT.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


# ---------------------------------------------------------------- training


def trainings_for(volunteer):
    """教育訓練: every training a unit entered, newest first, with the unit that entered it."""
    return TrainingRecord.objects.filter(volunteer=volunteer).select_related("unit").order_by("-start_date", "-id")


def training_totals(volunteer):
    """(number of records listed, sessions, minutes that count) of the volunteer's trainings."""
    counted = TrainingRecord.COUNTS
    totals = TrainingRecord.objects.filter(volunteer=volunteer).aggregate(
        records=Count("id"), sessions=Sum("sessions", filter=counted), minutes=Sum("minutes", filter=counted)
    )
    return totals["records"], totals["sessions"] or 0, totals["minutes"] or 0


# ---------------------------------------------------------------- service hours


def services_for(volunteer, *, unit=None, service_item=None, start=None, end=None, statuses=(APPROVED,)):
    """服務時數 of the volunteer, newest first (the manual's order), with unit and 登錄人.

    Filters, each optional: `unit` (a Unit or its id), `service_item` (exact), and a period: a record
    is kept when its own period overlaps [start, end] (either bound may be None). `statuses` defaults
    to approved records only; pass e.g. (ServiceRecord.Status.PENDING,) for self-reports in review.
    """
    records = ServiceRecord.objects.filter(volunteer=volunteer, status__in=list(statuses))
    if unit is not None:
        records = records.filter(unit=unit)
    if service_item:
        records = records.filter(service_item=service_item)
    if start is not None:
        records = records.filter(end_date__gte=start)
    if end is not None:
        records = records.filter(start_date__lte=end)
    return records.select_related("unit", "registrant").order_by("-start_date", "-end_date", "-id")


@dataclasses.dataclass(frozen=True)
class YearTotal:
    year: int  # Gregorian
    hours: Decimal  # hours that count
    records: int  # approved records listed (including annotated ones)

    @property
    def roc_year(self):
        return self.year - 1911


def yearly_totals(volunteer):
    """Approved hours per year (the year a record started in), newest year first.

    One grouped query in the database; `records` counts every approved row, so the sum of
    `records` is the length of `services_for(volunteer)` without filters.
    """
    rows = (
        ServiceRecord.objects.filter(volunteer=volunteer, status=APPROVED)
        .annotate(year=Year("start_date"))
        .values("year")
        .annotate(hours=Sum("hours", filter=ServiceRecord.COUNTS), records=Count("id"))
        .order_by("-year")
    )
    return [YearTotal(int(row["year"]), row["hours"] or ZERO, row["records"]) for row in rows]


@dataclasses.dataclass(frozen=True)
class HoursSummary:
    total_hours: Decimal
    this_year_hours: Decimal
    records: int
    years: list


def hours_summary(volunteer, today=None, years=None):
    """Total and this year's counted hours, from the yearly totals (pass them if you have them)."""
    today = today or timezone.localdate()
    years = yearly_totals(volunteer) if years is None else years
    total = sum((y.hours for y in years), ZERO)
    this_year = next((y.hours for y in years if y.year == today.year), ZERO)
    return HoursSummary(total, this_year, sum(y.records for y in years), years)


def pending_services_for(volunteer, limit=20):
    """Self-reports still waiting for the unit, and recently declined ones (with the reason)."""
    return list(
        ServiceRecord.objects.filter(
            volunteer=volunteer, status__in=[ServiceRecord.Status.PENDING, ServiceRecord.Status.DECLINED]
        )
        .select_related("unit")
        .order_by("-start_date", "-id")[:limit]
    )


def services_fingerprint(volunteer):
    """What changes whenever any of the volunteer's service records is added, changed or removed.

    Used as a cache key: count, newest change and id, sum of hours, the hours that count (the
    `ServiceRecord.COUNTS` rule itself, compiled in), and what the rows show (approved, misuse notes,
    consent), so that a bulk `.update()` or a raw INSERT (the Excel import) that bypasses signals and
    `updated_at` is still caught when it changes what the pages show. Plain SQL, compiled once per
    database: the ORM spent six times longer building this statement than the database spent running it.
    """
    alias = router.db_for_read(ServiceRecord)
    sql, params = _fingerprint_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params, volunteer.pk])
        row = cursor.fetchone()
    return ".".join(str(value) for value in row)


@functools.cache
def _fingerprint_sql(alias):
    meta = ServiceRecord._meta
    column = {name: meta.get_field(name).column for name in ("id", "updated_at", "hours", "status", "misuse_note",
                                                                 "consent", "volunteer")}
    query = ServiceRecord.objects.filter(ServiceRecord.COUNTS).query
    counts, counts_params = query.where.as_sql(query.get_compiler(alias), connections[alias])
    sql = (
        f"SELECT COUNT(*), MAX({column['updated_at']}), MAX({column['id']}), SUM({column['hours']}), "
        f"SUM(CASE WHEN {counts} THEN {column['hours']} ELSE 0 END), "
        f"SUM(CASE WHEN {column['status']} = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {column['misuse_note']} <> %s THEN 1 ELSE 0 END), "
        f"SUM(CASE {column['consent']} WHEN %s THEN 1 WHEN %s THEN 2 ELSE 0 END) "
        f"FROM {meta.db_table} WHERE {column['volunteer']} = %s"
    )
    return sql, (*counts_params, APPROVED, "", Consent.AWAITING, Consent.DECLINED)


def service_for(volunteer, pk):
    """One of the volunteer's own service records, or None (never another person's)."""
    return ServiceRecord.objects.filter(volunteer=volunteer, pk=pk).select_related("unit", "registrant").first()


# ---------------------------------------------------------------- record book


def record_books_for(volunteer):
    """紀錄冊: the volunteer's books (the valid one and any cancelled), newest first."""
    return RecordBook.objects.filter(volunteer=volunteer).select_related("authority", "applied_by").order_by(
        "-issued_on", "-id"
    )


def current_record_book(volunteer):
    """The one valid (not cancelled) book, or None."""
    return RecordBook.objects.valid().filter(volunteer=volunteer).select_related("authority").first()


def pending_book_applications(volunteer):
    return list(
        RecordBookApplication.objects.filter(volunteer=volunteer, status=RecordBookApplication.Status.PENDING)
        .select_related("unit")
        .order_by("-applied_at")
    )


# ---------------------------------------------------------------- insurance


def insurance_for(volunteer):
    """志工保險: every policy covering the volunteer, newest period first, with the paying unit."""
    return (
        InsurancePolicy.objects.filter(coverages__volunteer=volunteer)
        .select_related("unit")
        .order_by("-start_date", "-end_date", "-id")
    )


def current_insurance(volunteer, today=None):
    """Policies covering the volunteer today (both ends inclusive), latest ending first."""
    today = today or timezone.localdate()
    return list(
        InsurancePolicy.objects.in_force(today).filter(coverages__volunteer=volunteer)
        .select_related("unit")
        .order_by("-end_date", "-id")
    )


# ---------------------------------------------------------------- other items, awards, certificates


def other_items_for(volunteer):
    """其他登錄事項, newest first."""
    return OtherItem.objects.filter(volunteer=volunteer).select_related("unit").order_by("-start_date", "-id")


def awards_for(volunteer, kind=None):
    """Awards of the three kinds (衛生福利獎勵, 志願服務獎勵, 其他獎項表揚), newest first."""
    awards = Award.objects.filter(volunteer=volunteer).select_related("unit")
    if kind:
        awards = awards.filter(kind=kind)
    return awards.order_by("-awarded_on", "-id")


def awards_by_kind(volunteer):
    """[(kind value, label, [awards])] for every kind, in the record book's tab order, even when empty."""
    grouped = {kind: [] for kind in Award.Kind.values}
    for award in awards_for(volunteer):
        grouped.setdefault(award.kind, []).append(award)
    return [(kind, label, grouped[kind]) for kind, label in Award.Kind.choices]


def certificates_for(volunteer):
    """The volunteer's own 績效證明書, from every unit, newest first (榮譽紀錄)."""
    return PerformanceCertificate.objects.filter(volunteer=volunteer).select_related("unit").order_by(
        "-issued_on", "-id")
