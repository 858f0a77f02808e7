"""What the statistics pages show, read from the summary tables only (a page sums at most a few thousand
rows, whatever the number of records): hours by year, month, service item, unit and city; volunteers by sex,
age band, unit category and city. `units` is a Unit queryset already cut to the reader's area
(`units.access.overseen_units`)."""

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from volnet.statistics.models import ServiceMonth, VolunteerCount

# 年齡層 of the yearly statistics: (label, first age, last age); None: open-ended
AGE_BANDS = ((_("未滿18歲"), 0, 17), (_("18–29歲"), 18, 29), (_("30–49歲"), 30, 49), (_("50–64歲"), 50, 64),
             (_("65歲以上"), 65, None))
UNKNOWN_AGE = _("未填出生日期")


def _hours(value):
    return (value or Decimal("0")).quantize(Decimal("0.1"))


def _service(units, year=None):
    rows = ServiceMonth.objects.filter(unit__in=units)
    return rows if year is None else rows.filter(year=year)


def _summed(rows, *keys):
    return [{**{key: row[key] for key in keys}, "hours": _hours(row["h"]), "records": row["r"]}
            for row in rows.values(*keys).annotate(h=Sum("hours"), r=Sum("records")).order_by(*keys)]


def hours_by_year(units):
    return _summed(_service(units), "year")


def hours_by_month(units, year):
    found = {row["month"]: row for row in _summed(_service(units, year), "month")}
    return [found.get(month, {"month": month, "hours": _hours(None), "records": 0}) for month in range(1, 13)]


def hours_by_item(units, year=None):
    rows = _summed(_service(units, year), "service_item")
    return sorted(rows, key=lambda row: (-row["hours"], row["service_item"]))


def hours_by_unit(units, year=None):
    rows = _service(units, year).values(unit_name=F("unit__name"), unit_pk=F("unit_id"))
    return [{"unit": row["unit_pk"], "name": row["unit_name"], "hours": _hours(row["h"]), "records": row["r"]}
            for row in rows.annotate(h=Sum("hours"), r=Sum("records")).order_by("unit_name", "unit_pk")]


def hours_by_city(units, year=None):
    rows = _service(units, year).values(city=F("unit__authority__name"), city_pk=F("unit__authority_id"))
    return [{"authority": row["city_pk"], "name": row["city"], "hours": _hours(row["h"]), "records": row["r"]}
            for row in rows.annotate(h=Sum("hours"), r=Sum("records")).order_by("city", "city_pk")]


def total_hours(units, year=None):
    total = _service(units, year).aggregate(h=Sum("hours"), r=Sum("records"))
    return {"hours": _hours(total["h"]), "records": total["r"] or 0}


def _people(units, active=None):
    rows = VolunteerCount.objects.filter(unit__in=units)
    return rows if active is None else rows.filter(active=active)


def volunteers(units):
    """{'all': accepted memberships (serving or ended), 'active': serving now}."""
    total = _people(units).aggregate(all=Sum("people"), active=Sum("people", filter=Q(active=True)))
    return {"all": total["all"] or 0, "active": total["active"] or 0}


def volunteers_by(units, key, active=True):
    """Serving volunteers (active=True; None: all accepted) per `key`: "sex", "unit__category",
    "unit__authority__name" or "unit__name"."""
    rows = _people(units, active).values(key).annotate(n=Sum("people")).order_by(key)
    return [{"key": row[key], "people": row["n"]} for row in rows]


def volunteers_by_age(units, today, active=True):
    """Serving volunteers per age band at the end of `today`'s year (age = year − birth year; unknown apart)."""
    counts = dict.fromkeys([str(label) for label, _first, _last in AGE_BANDS] + [str(UNKNOWN_AGE)], 0)
    for row in _people(units, active).values("birth_year").annotate(n=Sum("people")):
        counts[age_band(today.year, row["birth_year"])] += row["n"]
    return [{"key": label, "people": people} for label, people in counts.items()]


def age_band(year, birth_year):
    if birth_year is None:
        return str(UNKNOWN_AGE)
    age = year - birth_year
    for label, first, last in AGE_BANDS:
        if age >= first and (last is None or age <= last):
            return str(label)
    return str(AGE_BANDS[0][0])
