"""What a results report shows, read from the system's own records: the one definition of each figure, for one
unit or for many (the statistics of an authority's area reuse `figures` with all its units).

Every figure counts what the records' own rules count (`ServiceRecord.objects.counting()`,
`TrainingRecord.objects.counting()`, accepted memberships): a report never says more than the records do.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from volnet.records.models import Award, InsuranceCoverage, ServiceRecord, TrainingRecord
from volnet.reports.models import ResultsReport
from volnet.units.models import Membership, Unit


def year_bounds(year):
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def due_date(year):
    """§7: the results report of `year` is due within two months after the year ends: the last day of February."""
    return dt.date(year + 1, 3, 1) - dt.timedelta(days=1)


def awaiting_report(units, year):
    """The operating units of `units` whose results report of `year` is still awaited: none filed, or returned
    for correction and not filed again. Past `due_date(year)` these are late (the review desk, the reminders)."""
    done = ResultsReport.objects.filter(year=year).exclude(status=ResultsReport.Status.RETURNED)
    return units.filter(status=Unit.Status.OPERATING).exclude(pk__in=done.values("unit_id"))


def serving_in(unit_ids, year):
    """Accepted memberships of the units that overlap the year (joined by its end, not left before its start)."""
    first, last = year_bounds(year)
    return Membership.objects.accepted().filter(unit_id__in=unit_ids, joined_on__lte=last).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first))


def figures(unit_ids, year):
    """The figures of a results report for the units `unit_ids` (ids or a values_list) and `year`, as plain
    JSON-ready values (hours as strings with one decimal place)."""
    first, last = year_bounds(year)
    unit_ids = list(unit_ids)
    members = serving_in(unit_ids, year)
    volunteer_ids = members.values("volunteer_id")
    volunteers = members.values("volunteer_id").distinct().count()
    new = members.filter(joined_on__gte=first).values("volunteer_id").distinct().count()
    services = ServiceRecord.objects.counting().filter(unit_id__in=unit_ids, start_date__range=(first, last))
    by_item = services.values("service_item").annotate(hours=Sum("hours"), records=Count("id")).order_by(
        "-hours", "service_item")
    total = services.aggregate(hours=Sum("hours"), records=Count("id"), people=Count("volunteer_id", distinct=True))
    trainings = TrainingRecord.objects.counting().filter(unit_id__in=unit_ids, start_date__range=(first, last))
    by_kind = trainings.values("kind").annotate(records=Count("id"), people=Count("volunteer_id", distinct=True),
                                                minutes=Sum("minutes")).order_by("kind")
    with_basic = TrainingRecord.objects.counting().filter(
        kind=TrainingRecord.Kind.BASIC, start_date__lte=last, volunteer_id__in=volunteer_ids,
    ).values("volunteer_id").distinct().count()
    insured = InsuranceCoverage.objects.filter(
        policy__unit_id__in=unit_ids, policy__start_date__lte=last, policy__end_date__gte=first,
        volunteer_id__in=volunteer_ids,
    ).values("volunteer_id").distinct().count()
    awards = Award.objects.filter(unit_id__in=unit_ids, awarded_on__range=(first, last)).values("kind").annotate(
        count=Count("id")).order_by("kind")
    return {
        "year": year,
        "volunteers": volunteers,
        "new_volunteers": new,
        "hours": _hours(total["hours"]),
        "service_records": total["records"],
        "volunteers_serving": total["people"],
        "hours_by_item": [{"item": row["service_item"], "hours": _hours(row["hours"]), "records": row["records"]}
                          for row in by_item],
        "training_by_kind": [{"kind": row["kind"], "records": row["records"], "people": row["people"],
                              "minutes": row["minutes"]} for row in by_kind],
        "with_basic_training": with_basic,
        "insured": insured,
        "awards_by_kind": [{"kind": row["kind"], "count": row["count"]} for row in awards],
    }


def _hours(value):
    return str((value or Decimal("0")).quantize(Decimal("0.1")))
