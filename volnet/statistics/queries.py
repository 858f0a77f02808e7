"""What the statistics pages show, read from the summary tables only, never the records.

An `Area` is what a page covers: the reader's authorities (`units.access.overseen_authorities`; None: every
unit) cut by category, city or one unit. Without a unit the figures come from the area summaries
(`AreaFigure`: a few rows per authority, category and month, however many units, volunteers and records);
for one unit, from that unit's rows. The list of a city's units and its districts read the units' rows."""

import dataclasses
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from volnet.statistics.models import AreaFigure, InsuredCount, ServiceMonth, VolunteerCount
from volnet.units.models import Unit

Figure = AreaFigure.Figure

# 年齡層 of the yearly statistics: (label, first age, last age); None: open-ended
AGE_BANDS = ((_("未滿18歲"), 0, 17), (_("18–29歲"), 18, 29), (_("30–49歲"), 30, 49), (_("50–64歲"), 50, 64),
             (_("65歲以上"), 65, None))
UNKNOWN_AGE = _("未填出生日期")


@dataclasses.dataclass
class Area:
    authorities: set | None = None  # overseen authorities (competent or sector); None: every unit
    category: str = ""
    city: object = None  # an Authority
    unit: object = None  # a Unit

    def condition(self):
        """The area as a condition on AreaFigure (whose authority, sector and category are a unit's)."""
        where = Q()
        if self.authorities is not None:
            where &= Q(authority_id__in=self.authorities) | Q(sector__in=self.authorities)
        if self.category:
            where &= Q(category=self.category)
        if self.city is not None:
            where &= Q(authority_id=self.city.pk)
        return where

    def units(self):
        """The same area as units (the list of a city's units, one unit's figures)."""
        units = Unit.objects.all()
        if self.authorities is not None:
            units = units.filter(Q(authority_id__in=self.authorities) | Q(sector_authority_id__in=self.authorities))
        if self.category:
            units = units.filter(category=self.category)
        if self.city is not None:
            units = units.filter(authority_id=self.city.pk)
        if self.unit is not None:
            units = units.filter(pk=self.unit.pk)
        return units

    def issuers(self):
        """The authorities whose record books and honor cards the page counts: the city chosen, the unit's, the
        reader's own (None: every authority)."""
        if self.unit is not None:
            return {self.unit.authority_id}
        if self.city is not None:
            return {self.city.pk}
        return self.authorities


# Each figure read from one unit's rows, named as the area rows are.
_UNIT_ROWS = {
    Figure.MONTH: (ServiceMonth, {"n": F("records")}),
    Figure.ITEM: (ServiceMonth, {"n": F("records"), "label": F("service_item")}),
    Figure.PEOPLE: (VolunteerCount, {"n": F("people"), "label": F("sex"), "category": F("unit__category")}),
    Figure.AGE: (VolunteerCount, {"n": F("people"), "year": Coalesce(F("birth_year"), 0)}),
    Figure.INSURED: (InsuredCount, {"n": F("people")}),
}


def _rows(area, figure):
    if area.unit is None:
        return AreaFigure.objects.filter(area.condition(), figure=figure).annotate(n=F("count"))
    model, names = _UNIT_ROWS[figure]
    return model.objects.filter(unit=area.unit).annotate(**names)


def _hours(value):
    return (value or Decimal("0")).quantize(Decimal("0.1"))


def _summed(rows, *keys):
    return [{**{key: row[key] for key in keys}, "hours": _hours(row["h"]), "records": row["r"]}
            for row in rows.values(*keys).annotate(h=Sum("hours"), r=Sum("n")).order_by(*keys)]


def _months(area, year=None):
    rows = _rows(area, Figure.MONTH)
    return rows if year is None else rows.filter(year=year)


def hours_by_year(area):
    return _summed(_months(area), "year")


def hours_by_month(area, year):
    found = {row["month"]: row for row in _summed(_months(area, year), "month")}
    return [found.get(month, {"month": month, "hours": _hours(None), "records": 0}) for month in range(1, 13)]


def hours_by_item(area, year=None):
    rows = _rows(area, Figure.ITEM)
    rows = [{"service_item": row["label"], "hours": row["hours"], "records": row["records"]}
            for row in _summed(rows if year is None else rows.filter(year=year), "label")]
    return sorted(rows, key=lambda row: (-row["hours"], row["service_item"]))


def hours_by_city(area, year=None):
    """Per competent authority: [{authority, name, hours, records}] (area rows only)."""
    rows = AreaFigure.objects.filter(area.condition(), figure=Figure.MONTH)
    rows = rows if year is None else rows.filter(year=year)
    return [{"authority": row["authority_id"], "name": row["authority__name"], "hours": _hours(row["h"]),
             "records": row["r"]}
            for row in rows.values("authority_id", "authority__name").annotate(h=Sum("hours"), r=Sum("count"))
            .order_by("authority__name", "authority_id")]


def total_hours(area, year=None):
    total = _months(area, year).aggregate(h=Sum("hours"), r=Sum("n"))
    return {"hours": _hours(total["h"]), "records": total["r"] or 0}


def _people(area, active=None):
    rows = _rows(area, Figure.PEOPLE)
    return rows if active is None else rows.filter(active=active)


def volunteers(area):
    """{'all': accepted memberships (serving or ended), 'active': serving now, 'trained': serving now with a
    基礎訓練 that counts}."""
    total = _people(area).aggregate(s_all=Sum("n"), s_active=Sum("n", filter=Q(active=True)),
                                    s_trained=Sum("n", filter=Q(active=True, trained=True)))
    return {key: total[f"s_{key}"] or 0 for key in ("all", "active", "trained")}


def volunteers_by(area, key, active=True):
    """Serving volunteers (active=True; None: all accepted) per `key`: "sex", "category" or "city"."""
    column = {"sex": "label", "category": "category", "city": "authority_id"}[key]
    rows = _people(area, active)
    if area.unit is not None and key == "city":
        rows = rows.annotate(authority_id=F("unit__authority_id"))
    return [{"key": row[column], "people": row["p"]}
            for row in rows.values(column).annotate(p=Sum("n")).order_by(column)]


def volunteers_by_age(area, today, active=True):
    """Serving volunteers per age band at the end of `today`'s year (age = year − birth year; unknown apart)."""
    counts = dict.fromkeys([str(label) for label, _first, _last in AGE_BANDS] + [str(UNKNOWN_AGE)], 0)
    rows = _rows(area, Figure.AGE)
    rows = rows if active is None else rows.filter(active=active)
    for row in rows.values("year").annotate(p=Sum("n")):
        counts[age_band(today.year, row["year"] or None)] += row["p"]
    return [{"key": label, "people": people} for label, people in counts.items()]


def age_band(year, birth_year):
    if birth_year is None:
        return str(UNKNOWN_AGE)
    age = year - birth_year
    for label, first, last in AGE_BANDS:
        if age >= first and (last is None or age <= last):
            return str(label)
    return str(AGE_BANDS[0][0])


def insured(area, year):
    """Serving volunteers insured by their unit's policy in force on some day of `year`."""
    return _rows(area, Figure.INSURED).filter(year=year).aggregate(p=Sum("n"))["p"] or 0


def issued(area, year):
    """{'books': record books, 'cards': honor cards} issued in `year` by the area's issuing authorities."""
    rows = AreaFigure.objects.filter(figure__in=[Figure.BOOKS, Figure.CARDS], year=year)
    issuers = area.issuers()
    if issuers is not None:
        rows = rows.filter(authority_id__in=issuers)
    found = dict(rows.values_list("figure").annotate(p=Sum("count")))
    return {"books": found.get(Figure.BOOKS, 0), "cards": found.get(Figure.CARDS, 0)}


def cities(area):
    """(authority id, name) of the cities with figures in the reader's area, by name (the city filter's list)."""
    rows = AreaFigure.objects.filter(Area(authorities=area.authorities).condition(), figure=Figure.PEOPLE)
    return list(rows.values_list("authority_id", "authority__name").distinct().order_by("authority__name"))


# --- the units' own rows: a city's units and its districts ---------------------------------------------------


def hours_by_unit(units, year=None):
    rows = ServiceMonth.objects.filter(unit__in=units)
    rows = rows if year is None else rows.filter(year=year)
    rows = rows.values(unit_name=F("unit__name"), unit_pk=F("unit_id"))
    return [{"unit": row["unit_pk"], "name": row["unit_name"], "hours": _hours(row["h"]), "records": row["r"]}
            for row in rows.annotate(h=Sum("hours"), r=Sum("records")).order_by("unit_name", "unit_pk")]


def volunteers_by_unit(units, active=True):
    rows = VolunteerCount.objects.filter(unit__in=units, active=active)
    return dict(rows.values_list("unit_id").annotate(p=Sum("people")))


def by_district(units, year):
    """[{district, people (serving), hours (of `year`)}] of the units, by district ("" for units without one)."""
    people = dict(VolunteerCount.objects.filter(unit__in=units, active=True)
                  .values_list("unit__district").annotate(p=Sum("people")))
    hours = dict(ServiceMonth.objects.filter(unit__in=units, year=year)
                 .values_list("unit__district").annotate(h=Sum("hours")))
    return [{"district": name, "people": people.get(name, 0), "hours": _hours(hours.get(name))}
            for name in sorted(set(people) | set(hours), key=lambda name: (name == "", name))]
