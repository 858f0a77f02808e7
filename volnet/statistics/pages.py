"""The tables of the statistics page (and of its downloads), each with its chart: a read of `queries` over the
reader's area cut by the filters, labelled in the reader's language. Every figure is a summary table's
(`statistics.models`): the page costs the same for a city of 25 units as for the country's 25,000."""

import dataclasses
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from volnet.statistics import charts, queries
from volnet.units.choices import ServiceCategory

ZERO = Decimal("0.0")


@dataclasses.dataclass
class Table:
    key: str
    title: str
    headings: list
    rows: list  # [label, value, …]; the chart draws the first two columns
    keys: list = dataclasses.field(default_factory=list)  # the drill-down: each row's query ("city=3", "unit=7")
    drawn: bool = True

    @property
    def chart(self):
        if not self.drawn:
            return ""
        return charts.bars(f"chart-{self.key}", self.title, [(row[0], row[1]) for row in self.rows])

    @property
    def linked_rows(self):
        return list(zip(self.keys or [None] * len(self.rows), self.rows, strict=True))


def area(authorities, choices):
    """The figures' area: the reader's authorities (None: every unit) cut by category, city and unit."""
    return queries.Area(authorities=authorities, category=choices.get("category") or "",
                        city=choices.get("city") or None, unit=choices.get("unit") or None)


def _sex_label(key):
    return str(get_user_model().Sex(key).label) if key else _("未填")


def _category_label(key):
    return str(ServiceCategory(key).label) if key else _("未分類")


def tables(area, choices, today):
    year = choices["year"]
    roc = year - 1911
    people, hours = _("服務中志工（人）"), _("服務時數")
    volunteers = queries.volunteers(area)
    total = queries.total_hours(area, year)
    issued = queries.issued(area, year)
    result = [
        Table("overview", _("%(year)s 年度總覽") % {"year": roc}, [_("項目"), _("數值")], [
            [_("服務中志工（人）"), volunteers["active"]],
            [_("曾加入志工（人，含已離隊）"), volunteers["all"]],
            [_("服務時數"), total["hours"]],
            [_("服務紀錄（筆）"), total["records"]],
            [_("完成基礎訓練的服務中志工（人）"), _share(volunteers["trained"], volunteers["active"])],
            [_("%(year)s 年度有保險的服務中志工（人）") % {"year": roc},
             _share(queries.insured(area, year), volunteers["active"])],
            [_("%(year)s 年度轄區主管機關發給的紀錄冊（本）") % {"year": roc}, issued["books"]],
            [_("%(year)s 年度轄區主管機關發給的榮譽卡（張）") % {"year": roc}, issued["cards"]],
        ], drawn=False),
        Table("sex", _("服務中志工：性別"), [_("性別"), people],
              [[_sex_label(row["key"]), row["people"]] for row in queries.volunteers_by(area, "sex")]),
        Table("age", _("服務中志工：年齡層（%(year)s 年底）") % {"year": roc}, [_("年齡層"), people],
              [[row["key"], row["people"]] for row in queries.volunteers_by_age(area, today.replace(year=year))]),
        Table("category", _("服務中志工：單位服務類別"), [_("服務類別"), people],
              [[_category_label(row["key"]), row["people"]] for row in queries.volunteers_by(area, "category")]),
    ]
    if area.city is not None or area.unit is not None:
        units = area.units()
        if area.unit is None:
            result.append(Table("districts", _("各鄉鎮市區"), [_("鄉鎮市區"), people, hours], [
                [row["district"] or _("未填"), row["people"], row["hours"]]
                for row in queries.by_district(units, year)]))
        by_unit = {row["unit"]: row for row in queries.hours_by_unit(units, year)}
        counted = queries.volunteers_by_unit(units)
        rows = units.order_by("name", "pk").values_list("pk", "name")
        result.append(Table("units", _("各單位"), [_("單位"), people, hours], [
            [name, counted.get(pk, 0), by_unit[pk]["hours"] if pk in by_unit else ZERO]
            for pk, name in rows], keys=[urlencode({"unit": pk}) for pk, _name in rows]))
    else:
        by_city = {row["authority"]: row for row in queries.hours_by_city(area, year)}
        people_of = {row["key"]: row["people"] for row in queries.volunteers_by(area, "city")}
        cities = queries.cities(area)
        result.append(Table("cities", _("各縣市（主管機關）"), [_("縣市"), people, hours], [
            [name, people_of.get(pk, 0), by_city[pk]["hours"] if pk in by_city else ZERO]
            for pk, name in cities], keys=[urlencode({"city": pk}) for pk, _name in cities]))
    result += [
        Table("months", _("%(year)s 年度各月服務時數") % {"year": roc}, [_("月份"), hours, _("紀錄（筆）")],
              [[_("%(month)s 月") % {"month": row["month"]}, row["hours"], row["records"]]
               for row in queries.hours_by_month(area, year)]),
        Table("items", _("%(year)s 年度各服務項目時數") % {"year": roc}, [_("服務項目"), hours, _("紀錄（筆）")],
              [[row["service_item"], row["hours"], row["records"]] for row in queries.hours_by_item(area, year)]),
        Table("years", _("歷年服務時數"), [_("年度"), hours, _("紀錄（筆）")],
              [[str(row["year"] - 1911), row["hours"], row["records"]] for row in queries.hours_by_year(area)]),
    ]
    return result


def _share(count, active):
    return f"{count:,}（{count * 100 / active:.1f}%）" if active else f"{count:,}"
