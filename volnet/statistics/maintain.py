"""Keeping the summary tables true, inside the transaction of the write that changed what they sum
(`statistics.receivers`); `rebuild` sums everything again for `manage.py rebuild_statistics`.

Per unit, each refresh deletes a slice and sums it again from the records with one INSERT … SELECT … GROUP BY
(the ORM compiles the SELECT, so the same code runs on SQLite and PostgreSQL). The area figures (`AreaFigure`)
follow by difference: the slice's contribution to its area is read before and after, and only what changed
is added (an UPDATE … SET count = count + n per key, a row created where none was), so a write costs the
same in a unit of a city of 5,000 units as in a country of 25."""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from volnet.records.models import InsuranceCoverage, RecordBook, ServiceRecord, TrainingRecord
from volnet.statistics.models import AreaFigure, InsuredCount, ServiceMonth, VolunteerCount
from volnet.units.models import Membership

Figure = AreaFigure.Figure
ZERO = Decimal("0")
# The honor cards are the honorcard app's, a feature beside this one: named, never imported.
HONOR_CARD = "honorcard.HonorCard"


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


# --- area figures: a unit's contribution, and adding a difference ------------------------------------------

AREA = {"authority_id": F("unit__authority_id"), "sector": Coalesce(F("unit__sector_authority_id"), 0),
        "category": F("unit__category")}


def _contributions(figure, rows):
    """{key: [hours, count]} of `figure` over per-unit summary rows `rows` (already cut to some units and
    years), keyed as AreaFigure.KEY."""
    if figure == Figure.MONTH:
        grouped = rows.values(**AREA, y=F("year"), m=F("month")).annotate(h=Sum("hours"), n=Sum("records"))
        key = lambda r: (r["y"], r["m"], "", False, False)  # noqa: E731
    elif figure == Figure.ITEM:
        grouped = rows.values(**AREA, y=F("year"), l=F("service_item")).annotate(h=Sum("hours"), n=Sum("records"))
        key = lambda r: (r["y"], 0, r["l"], False, False)  # noqa: E731
    elif figure == Figure.PEOPLE:
        grouped = rows.values(**AREA, l=F("sex"), a=F("active"), t=F("trained")).annotate(n=Sum("people"))
        key = lambda r: (0, 0, r["l"], r["a"], r["t"])  # noqa: E731
    elif figure == Figure.AGE:
        grouped = rows.values(**AREA, y=Coalesce(F("birth_year"), 0), a=F("active")).annotate(n=Sum("people"))
        key = lambda r: (r["y"], 0, "", r["a"], False)  # noqa: E731
    else:  # INSURED
        grouped = rows.values(**AREA, y=F("year")).annotate(n=Sum("people"))
        key = lambda r: (r["y"], 0, "", False, False)  # noqa: E731
    found = {}
    for row in grouped.order_by():
        found[(figure, row["authority_id"], row["sector"], row["category"], *key(row))] = [row.get("h") or ZERO,
                                                                                           row["n"] or 0]
    return found


def _difference(before, after):
    keys = set(before) | set(after)
    zero = [ZERO, 0]
    return {key: tuple(now - was for now, was in zip(after.get(key, zero), before.get(key, zero), strict=True))
            for key in keys}


def add_to_areas(differences):
    """Add {key: (hours, count)} to the area figures: one UPDATE per changed key, a new row where there was
    none (a row another transaction created meanwhile is updated instead), and a row that reaches 0 removed."""
    for key, (hours, count) in differences.items():
        if not hours and not count:
            continue
        where = dict(zip(AreaFigure.KEY, key, strict=True))
        rows = AreaFigure.objects.filter(**where)
        if not rows.update(hours=F("hours") + hours, count=F("count") + count):
            try:
                with transaction.atomic(using=router.db_for_write(AreaFigure)):
                    AreaFigure.objects.create(**where, hours=hours, count=count)
            except IntegrityError:
                rows.update(hours=F("hours") + hours, count=F("count") + count)
        rows.filter(count=0).delete()


class _Following:
    """Refresh per-unit rows and carry their difference to the area figures:
    `with _Following(figures, rows_of): …delete and insert…` where `rows_of()` gives the slice's rows."""

    def __init__(self, figures, rows_of):
        self.figures, self.rows_of = figures, rows_of

    def _read(self):
        found = {}
        for figure in self.figures:
            found.update(_contributions(figure, self.rows_of()))
        return found

    def __enter__(self):
        self.before = self._read()
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            add_to_areas(_difference(self.before, self._read()))


# --- per unit -----------------------------------------------------------------------------------------------


def _service_months(records):
    return (records.order_by().annotate(year=ExtractYear("start_date"), month=ExtractMonth("start_date"))
            .values("unit", "year", "month", "service_item")
            .annotate(hours=Sum("hours"), records=Count("id")))


def refresh_service_months(unit_ids, months=None, areas=True):
    """Sum again the hours of `unit_ids` in `months` (a set of (year, month); None: every month)."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return
    summary = ServiceMonth.objects.filter(unit_id__in=unit_ids)
    records = ServiceRecord.objects.counting().filter(unit_id__in=unit_ids)
    if months is not None:
        months = sorted(set(months))
        if not months:
            return
        years = sorted({year for year, _month in months})
        summary = summary.filter(year__in=years)
        records = records.filter(start_date__year__in=years)
    with transaction.atomic(using=router.db_for_write(ServiceMonth)), \
            _Following([Figure.MONTH, Figure.ITEM] if areas else [], lambda: summary.all()):
        summary.delete()
        _insert_select(ServiceMonth, _service_months(records))
        # the other months of the years touched were deleted and summed again with them: still true


def _volunteer_counts(memberships):
    basic = TrainingRecord.objects.counting().filter(kind=TrainingRecord.Kind.BASIC,
                                                     volunteer_id=OuterRef("volunteer_id"))
    return (memberships.order_by()
            .annotate(sex=F("volunteer__sex"), birth_year=ExtractYear("volunteer__birth_date"),
                      active=Case(When(Membership.ACTIVE, then=Value(True)), default=Value(False)),
                      trained=Exists(basic))
            .values("unit", "sex", "birth_year", "active", "trained")
            .annotate(people=Count("id")))


def refresh_volunteer_counts(unit_ids, areas=True):
    unit_ids = list(unit_ids)
    if not unit_ids:
        return
    summary = VolunteerCount.objects.filter(unit_id__in=unit_ids)
    with transaction.atomic(using=router.db_for_write(VolunteerCount)), \
            _Following([Figure.PEOPLE, Figure.AGE] if areas else [], lambda: summary.all()):
        summary.delete()
        _insert_select(VolunteerCount, _volunteer_counts(Membership.objects.accepted().filter(unit_id__in=unit_ids)))


def _insured_counts(coverages):
    """InsuredCount rows (unsaved) of the serving members among `coverages`, per unit of the policy and per
    year it touches, a person once per unit and year; read unit by unit, so memory holds one unit's people."""
    serving = Membership.objects.active().filter(unit_id=OuterRef("policy__unit_id"),
                                                 volunteer_id=OuterRef("volunteer_id"))
    covered = (coverages.filter(Exists(serving)).order_by("policy__unit_id")
               .values_list("policy__unit_id", "volunteer_id", "policy__start_date", "policy__end_date"))
    current, people = None, defaultdict(set)
    for unit_id, volunteer_id, start, end in covered.iterator(chunk_size=5000):
        if unit_id != current:
            yield from (InsuredCount(unit_id=current, year=year, people=len(found))
                        for year, found in sorted(people.items()))
            current, people = unit_id, defaultdict(set)
        for year in range(start.year, end.year + 1):
            people[year].add(volunteer_id)
    yield from (InsuredCount(unit_id=current, year=year, people=len(found)) for year, found in sorted(people.items()))


def refresh_insured(unit_ids, areas=True):
    """Serving members of each unit covered by one of the unit's own policies, per year the policy touches."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return
    summary = InsuredCount.objects.filter(unit_id__in=unit_ids)
    with transaction.atomic(using=router.db_for_write(InsuredCount)), \
            _Following([Figure.INSURED] if areas else [], lambda: summary.all()):
        summary.delete()
        InsuredCount.objects.bulk_create(
            _insured_counts(InsuranceCoverage.objects.filter(policy__unit_id__in=unit_ids)), batch_size=5000)


def refresh_trained(volunteer_ids):
    """A person's 基礎訓練 changed: the counts of every unit they are (or were) an accepted member of."""
    units = Membership.objects.accepted().filter(volunteer_id__in=list(volunteer_ids)).values_list("unit_id", flat=True)
    refresh_volunteer_counts(set(units))


def move_unit(unit, before):
    """The unit's authority, sector authority or category changed from `before` (authority_id, sector, category):
    its figures leave the old area and join the new one."""
    if before == (unit.authority_id, unit.sector_authority_id or 0, unit.category):
        return
    sources = [(Figure.MONTH, ServiceMonth), (Figure.ITEM, ServiceMonth), (Figure.PEOPLE, VolunteerCount),
               (Figure.AGE, VolunteerCount), (Figure.INSURED, InsuredCount)]
    now = {}
    for figure, model in sources:
        now.update(_contributions(figure, model.objects.filter(unit_id=unit.pk)))
    was = {(key[0], *before, *key[4:]): value for key, value in now.items()}
    add_to_areas(_difference(was, now))


# --- record books and honor cards issued, per authority and year -------------------------------------------


def issued(figure, authority_id, year, count):
    if authority_id is not None and year is not None:
        add_to_areas({(figure, authority_id, 0, "", year, 0, "", False, False): (ZERO, count)})


# --- everything again --------------------------------------------------------------------------------------


def _empty(model):
    """Every row of a summary table gone: TRUNCATE on PostgreSQL (a DELETE of 16 million rows takes minutes).

    PostgreSQL refuses to TRUNCATE a table with foreign-key checks still pending in the transaction (rows
    written earlier in it, as seed_demo or a test does), so those checks run first and are deferred again
    after, as Django's constraints are."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        model.objects.all().delete()


# The steps of `rebuild`, each one statement over a whole table (a sequential scan, not one per unit).
STEPS = 4


def rebuild(progress=None):
    """Every summary table summed again from the records, in one transaction (the pages read the old figures
    until it commits); `progress(1)` after each of the STEPS steps. At national size the per-unit tables are
    one INSERT … SELECT … GROUP BY each over the whole table: reading 20,000,000 service records in order is
    far quicker than fetching each unit's records from all over the table."""
    step = progress or (lambda n: None)
    with transaction.atomic(using=router.db_for_write(ServiceMonth)):
        _empty(ServiceMonth)
        _insert_select(ServiceMonth, _service_months(ServiceRecord.objects.counting()))
        step(1)
        _empty(VolunteerCount)
        _insert_select(VolunteerCount, _volunteer_counts(Membership.objects.accepted()))
        step(1)
        _empty(InsuredCount)
        InsuredCount.objects.bulk_create(_insured_counts(InsuranceCoverage.objects.all()), batch_size=5000)
        step(1)
        rebuild_areas()
        step(1)


def rebuild_areas():
    with transaction.atomic(using=router.db_for_write(AreaFigure)):
        _empty(AreaFigure)
        sums = {}
        for figure, model in [(Figure.MONTH, ServiceMonth), (Figure.ITEM, ServiceMonth),
                              (Figure.PEOPLE, VolunteerCount), (Figure.AGE, VolunteerCount),
                              (Figure.INSURED, InsuredCount)]:
            sums.update(_contributions(figure, model.objects.all()))
        for authority_id, year, count in (RecordBook.objects.order_by().values_list("authority_id", "issued_on__year")
                                          .annotate(n=Count("id"))):
            sums[(Figure.BOOKS, authority_id, 0, "", year, 0, "", False, False)] = [ZERO, count]
        cards = apps.get_model(HONOR_CARD)
        for authority_id, year, count in (cards.objects.order_by().values_list("authority_id", "issued_at__year")
                                          .annotate(n=Count("id"))):
            sums[(Figure.CARDS, authority_id, 0, "", year, 0, "", False, False)] = [ZERO, count]
        AreaFigure.objects.bulk_create([AreaFigure(**dict(zip(AreaFigure.KEY, key, strict=True)), hours=hours,
                                                   count=count) for key, (hours, count) in sums.items() if count],
                                       batch_size=5000)
