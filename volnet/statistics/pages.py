"""The tables of the statistics page (and of its downloads), each with its chart: a read of `queries` over the
reader's area cut by the filters, labelled in the reader's language. Basic training, insurance and record
books are counted over the records themselves (not yet summarised)."""

import dataclasses
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from volnet.records.models import InsuranceCoverage, RecordBook, TrainingRecord
from volnet.statistics import charts, queries
from volnet.units.choices import ServiceCategory
from volnet.units.models import Membership

ZERO = Decimal("0.0")


@dataclasses.dataclass
class Table:
    key: str
    title: str
    headings: list
    rows: list  # [label, value, …]; the chart draws the first two columns
    link: str = ""  # the drill-down: ?city=… or ?unit=… for each row's key
    keys: list = dataclasses.field(default_factory=list)
    drawn: bool = True

    @property
    def chart(self):
        if not self.drawn:
            return ""
        return charts.bars(f"chart-{self.key}", self.title, [(row[0], row[1]) for row in self.rows])

    @property
    def linked_rows(self):
        return list(zip(self.keys or [None] * len(self.rows), self.rows, strict=True))


def area(units, choices):
    """The units the figures cover: the reader's area cut by category, city and unit."""
    if choices.get("category"):
        units = units.filter(category=choices["category"])
    if choices.get("city"):
        units = units.filter(authority=choices["city"])
    if choices.get("unit"):
        units = units.filter(pk=choices["unit"].pk)
    return units


def _sex_label(key):
    return str(get_user_model().Sex(key).label) if key else _("未填")


def _category_label(key):
    return str(ServiceCategory(key).label) if key else _("未分類")


def tables(units, choices, today):
    year = choices["year"]
    roc = year - 1911
    people, hours = _("服務中志工（人）"), _("服務時數")
    volunteers = queries.volunteers(units)
    total = queries.total_hours(units, year)
    result = [
        Table("overview", _("%(year)s 年度總覽") % {"year": roc}, [_("項目"), _("數值")], [
            [_("服務中志工（人）"), volunteers["active"]],
            [_("曾加入志工（人，含已離隊）"), volunteers["all"]],
            [_("服務時數"), total["hours"]],
            [_("服務紀錄（筆）"), total["records"]],
            *_shares(units, year, volunteers["active"]),
        ], drawn=False),
        Table("sex", _("服務中志工：性別"), [_("性別"), people],
              [[_sex_label(row["key"]), row["people"]] for row in queries.volunteers_by(units, "sex")]),
        Table("age", _("服務中志工：年齡層（%(year)s 年底）") % {"year": roc}, [_("年齡層"), people],
              [[row["key"], row["people"]] for row in queries.volunteers_by_age(units, today.replace(year=year))]),
        Table("category", _("服務中志工：單位服務類別"), [_("服務類別"), people],
              [[_category_label(row["key"]), row["people"]] for row in queries.volunteers_by(units, "unit__category")]),
    ]
    if choices.get("city") or choices.get("unit"):
        by_unit = {row["unit"]: row for row in queries.hours_by_unit(units, year)}
        counted = {row["key"]: row["people"] for row in queries.volunteers_by(units, "unit")}
        rows = units.order_by("name", "pk").values_list("pk", "name")
        result.append(Table("units", _("各單位"), [_("單位"), people, hours], [
            [name, counted.get(pk, 0), by_unit[pk]["hours"] if pk in by_unit else ZERO]
            for pk, name in rows], link="unit", keys=[pk for pk, _name in rows]))
    else:
        by_city = {row["authority"]: row for row in queries.hours_by_city(units, year)}
        counted = queries.volunteers_by(units, "unit__authority")
        names = dict(units.values_list("authority_id", "authority__name").distinct())
        keys = sorted(names, key=lambda pk: (names[pk], pk))
        people_of = {row["key"]: row["people"] for row in counted}
        result.append(Table("cities", _("各縣市（主管機關）"), [_("縣市"), people, hours], [
            [names[pk], people_of.get(pk, 0), by_city[pk]["hours"] if pk in by_city else ZERO]
            for pk in keys], link="city", keys=keys))
    result += [
        Table("months", _("%(year)s 年度各月服務時數") % {"year": roc}, [_("月份"), hours, _("紀錄（筆）")],
              [[_("%(month)s 月") % {"month": row["month"]}, row["hours"], row["records"]]
               for row in queries.hours_by_month(units, year)]),
        Table("items", _("%(year)s 年度各服務項目時數") % {"year": roc}, [_("服務項目"), hours, _("紀錄（筆）")],
              [[row["service_item"], row["hours"], row["records"]] for row in queries.hours_by_item(units, year)]),
        Table("years", _("歷年服務時數"), [_("年度"), hours, _("紀錄（筆）")],
              [[str(row["year"] - 1911), row["hours"], row["records"]] for row in queries.hours_by_year(units)]),
    ]
    return result


def _shares(units, year, active):
    serving = Membership.objects.active().filter(unit__in=units).values("volunteer_id")
    basic = (TrainingRecord.objects.counting().filter(kind=TrainingRecord.Kind.BASIC, volunteer_id__in=serving)
             .values("volunteer_id").distinct().count())
    today_insured = (InsuranceCoverage.objects.filter(policy__unit__in=units, volunteer_id__in=serving)
                     .filter(Q(policy__start_date__year__lte=year) & Q(policy__end_date__year__gte=year))
                     .values("volunteer_id").distinct().count())
    books = RecordBook.objects.filter(issued_on__year=year, authority__in=units.values("authority_id")).count()

    def share(count):
        return f"{count:,}（{count * 100 / active:.1f}%）" if active else f"{count:,}"

    return [[_("完成基礎訓練的服務中志工（人）"), share(basic)],
            [_("%(year)s 年度有保險的服務中志工（人）") % {"year": year - 1911}, share(today_insured)],
            [_("%(year)s 年度轄區主管機關發給的紀錄冊（本）") % {"year": year - 1911}, books]]
