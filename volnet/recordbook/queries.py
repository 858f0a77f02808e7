"""What the record book lists, tab by tab, for one volunteer (the session user) and one set of filters.

Tabs: 服務 · 訓練 · 衛生福利獎勵 · 志願服務獎勵 · 其他獎項表揚. Every tab turns into a `Section`: its
columns, its rows as plain strings (the query page, the print view and the PDF show the same text),
and its totals. Only service records and trainings that count are listed (`ServiceRecord.COUNTS`,
`TrainingRecord.COUNTS`). A period filter keeps a record whose own period overlaps the chosen one.

Labels are lazy translations; a `Section` holds them as plain strings in the language active when it
was built: the reader's on the query page, Chinese for the record book (`book.assemble`).
"""

import dataclasses
import datetime as dt
import functools
from decimal import Decimal

from django.db import router
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.lib import hours as hourfmt
from volnet.lib import rocdate
from volnet.records import queries as record_queries
from volnet.records.choices import ServiceCategory
from volnet.records.models import Award, ServiceRecord, TrainingRecord
from volnet.units.models import Membership, Unit

SERVICE = "service"
TRAINING = "training"


@dataclasses.dataclass(frozen=True)
class Filters:
    unit: int | None = None
    item: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def active(self):
        return bool(self.unit or self.item or self.start or self.end)


@dataclasses.dataclass(frozen=True)
class Column:
    label: str
    width: float  # share of the PDF table width, in millimetres on A4
    numeric: bool = False


@dataclasses.dataclass
class Section:
    key: str
    label: str
    columns: list
    rows: list  # tuples of strings, 序號 first
    count: int
    total_label: str = ""  # e.g. 服務時數合計
    total_value: str = ""  # e.g. 159.7
    total_column: int | None = None  # where the total stands in the table's last row
    title: str = ""  # 志願服務紀錄冊-服務, in the language the section was built in

    @property
    def table_rows(self):
        """Rows as [(column, text)], for templates that label or align each cell by its column."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def total_tail(self):
        """Columns after the total's column (the empty cells that close the totals row)."""
        return len(self.columns) - self.total_column - 1 if self.total_column is not None else 0


class Tab:
    key = ""
    label = ""
    date_label = _("日期")
    columns = []
    uses_item = False

    def queryset(self, volunteer, filters):
        raise NotImplementedError

    def values(self):
        raise NotImplementedError

    def row(self, number, values):
        raise NotImplementedError

    def totals(self, queryset):
        """(count, total label, total value)."""
        return queryset.count(), "", ""

    def section(self, volunteer, filters, page=None, per_page=10):
        """The whole section (page None), or one page of it as (section, page number, pages); a page
        number out of range becomes the nearest page. Totals always cover every filtered row."""
        queryset = self.queryset(volunteer, filters)
        count, total_label, total_value = self.totals(queryset)
        values = queryset.values_list(*self.values())
        if page is None:
            offset, chunk = 0, values.iterator(chunk_size=2000)
        else:
            pages = max(1, -(-count // per_page))
            page = min(max(page, 1), pages)
            offset = (page - 1) * per_page
            chunk = values[offset : offset + per_page]
        rows = [self.row(offset + i, v) for i, v in enumerate(chunk, start=1)]
        total_column = next((i for i, c in enumerate(self.columns) if c.numeric), None) if total_value else None
        label = str(self.label)
        columns = [Column(str(c.label), c.width, c.numeric) for c in self.columns]
        title = gettext("志願服務紀錄冊-%(tab)s") % {"tab": label}
        section = Section(self.key, label, columns, rows, count, str(total_label), total_value, total_column, title)
        return section if page is None else (section, page, pages)


class ServiceTab(Tab):
    key = SERVICE
    label = _("服務")
    date_label = _("服務時間")
    uses_item = True
    columns = [
        Column(_("序號"), 10),
        Column(_("服務項目"), 20),
        Column(_("服務內容"), 29),
        Column(_("服務日期"), 33),
        Column(_("服務時數"), 15, numeric=True),
        Column(_("服務運用單位"), 55),
        Column(_("登錄人"), 20),
    ]

    def queryset(self, volunteer, filters):
        return record_queries.services_for(
            volunteer, unit=filters.unit, service_item=filters.item or None, start=filters.start, end=filters.end
        ).counting()

    def values(self):
        return ("service_item", "content", "start_date", "end_date", "hours", "unit__code", "unit__name",
                "registrant__name")

    def row(self, number, v):
        item, content, start, end, hours, code, name, registrant = v
        return (str(number), item, content, rocdate.format_range(start, end), hourfmt.format_hours(hours),
                f"{code}{name}", registrant or "")

    def totals(self, queryset):
        totals = queryset.order_by().aggregate(n=Count("id"), hours=Sum("hours"))
        return totals["n"], gettext("服務時數合計"), hourfmt.format_hours(totals["hours"] or Decimal(0))


KINDS = dict(TrainingRecord.Kind.choices)
CATEGORIES = dict(ServiceCategory.choices)


class TrainingTab(Tab):
    key = TRAINING
    label = _("訓練")
    date_label = _("訓練時間")
    columns = [
        Column(_("序號"), 10),
        Column(_("訓練起訖"), 33),
        Column(_("訓練課程"), 24),
        Column(_("類別"), 22),
        Column(_("訓練單位"), 26),
        Column(_("訓練時數"), 21, numeric=True),
        Column(_("結業證書字號"), 22),
        Column(_("登錄單位"), 24),
    ]

    def queryset(self, volunteer, filters):
        queryset = TrainingRecord.objects.counting().filter(volunteer=volunteer)
        if filters.unit:
            queryset = queryset.filter(unit_id=filters.unit)
        if filters.start:
            queryset = queryset.filter(Q(end_date__gte=filters.start) | Q(end_date__isnull=True,
                                                                           start_date__gte=filters.start))
        if filters.end:
            queryset = queryset.filter(start_date__lte=filters.end)
        return queryset.order_by("-start_date", "-id")

    def values(self):
        return ("start_date", "end_date", "course", "kind", "category", "organiser", "minutes",
                "certificate_number", "unit__code", "unit__name")

    def row(self, number, v):
        start, end, course, kind, category, organiser, minutes, certificate, code, name = v
        kind_label = str(KINDS.get(kind, kind))  # a lazy label, read in the language of the section
        if category:
            kind_label = gettext("%(kind)s（%(category)s）") % {"kind": kind_label,
                                                               "category": CATEGORIES.get(category, category)}
        return (str(number), rocdate.format_range(start, end), course, kind_label, organiser,
                hourfmt.format_minutes(minutes), certificate, f"{code or ''}{name or ''}")

    def totals(self, queryset):
        totals = queryset.order_by().aggregate(n=Count("id"), minutes=Sum("minutes"))
        return totals["n"], gettext("訓練時數合計"), hourfmt.format_minutes(totals["minutes"] or 0)


class AwardTab(Tab):
    date_label = _("頒發日期")
    columns = [
        Column(_("序號"), 10),
        Column(_("獎項名稱"), 41),
        Column(_("等級"), 18),
        Column(_("頒發日期"), 20),
        Column(_("頒發機關"), 34),
        Column(_("證書字號"), 30),
        Column(_("登錄單位"), 29),
    ]

    def __init__(self, kind, label):
        self.key = kind
        self.label = label

    def queryset(self, volunteer, filters):
        queryset = Award.objects.filter(volunteer=volunteer, kind=self.key)
        if filters.unit:
            queryset = queryset.filter(unit_id=filters.unit)
        if filters.start:
            queryset = queryset.filter(awarded_on__gte=filters.start)
        if filters.end:
            queryset = queryset.filter(awarded_on__lte=filters.end)
        return queryset.order_by("-awarded_on", "-id")

    def values(self):
        return ("name", "level", "awarded_on", "granted_by", "certificate_number", "unit__code", "unit__name")

    def row(self, number, v):
        name, level, awarded_on, granted_by, certificate, code, unit_name = v
        unit = f"{code or ''}{unit_name or ''}"
        return (str(number), name, level, rocdate.format(awarded_on), granted_by, certificate, unit)


# The award tabs are named here so the query page and the book's section titles are this app's words.
AWARD_TAB_LABELS = {
    Award.Kind.HEALTH_WELFARE: _("衛生福利獎勵"),
    Award.Kind.VOLUNTEER_SERVICE: _("志願服務獎勵"),
    Award.Kind.OTHER: _("其他獎項表揚"),
}
TABS = [ServiceTab(), TrainingTab()] + [AwardTab(kind, AWARD_TAB_LABELS.get(kind, label))
                                        for kind, label in Award.Kind.choices]
TABS_BY_KEY = {tab.key: tab for tab in TABS}


def tab(key):
    """The tab for a key from the URL; anything unknown is the 服務 tab."""
    return TABS_BY_KEY.get(key or SERVICE, TABS[0])


def sections(volunteer, filters):
    """Every tab in full, for the PDF and the print view."""
    return [t.section(volunteer, filters) for t in TABS]


# ---------------------------------------------------------------- filter choices


VOLUNTEER = -1  # stands for the volunteer's id in a statement compiled once


def unit_choices(volunteer):
    """[(id, label)] of the volunteer's units: memberships and units named in their records.

    One query: the units whose id is in any of four lists, each a subquery PostgreSQL answers from the
    volunteer's index. Four queries that each sent back every record's unit (their DISTINCT kept the
    records' default ordering, so one row per record) were a sixth of the page's time on a first view
    (bench_firstview)."""
    alias = router.db_for_read(Unit)
    sql, params = _unit_choices_sql(alias)
    units = Unit.objects.db_manager(alias).raw(sql, [volunteer.pk if p == VOLUNTEER else p for p in params])
    return [(unit.id, unit.label) for unit in units]


@functools.cache
def _unit_choices_sql(alias):
    """unit_choices' statement, compiled once per database: building and compiling its four subqueries took
    the ORM eight times as long as PostgreSQL took to answer it."""
    def ids(queryset):
        return queryset.order_by().values("unit_id")

    named = (Q(id__in=ids(Membership.objects.accepted().filter(volunteer=VOLUNTEER)))
             | Q(id__in=ids(ServiceRecord.objects.counting().filter(volunteer=VOLUNTEER)))
             | Q(id__in=ids(TrainingRecord.objects.counting().filter(volunteer=VOLUNTEER)))
             | Q(id__in=ids(Award.objects.filter(volunteer=VOLUNTEER, unit__isnull=False))))
    sql, params = Unit.objects.filter(named).order_by("code", "name").query.get_compiler(alias).as_sql()
    if list(params).count(VOLUNTEER) != 4:
        raise AssertionError("the volunteer's stand-in must be the statement's only -1")
    return sql, tuple(params)


def item_choices(volunteer):
    """The 服務項目 that appear in the volunteer's counted service records, in name order."""
    return list(
        ServiceRecord.objects.counting().filter(volunteer=volunteer)
        .order_by("service_item").values_list("service_item", flat=True).distinct()
    )
