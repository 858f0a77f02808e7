"""Property: after any mix of writes — service records created, edited and deleted, memberships ending and
coming back, 基礎訓練 entered and removed, policies and their insured volunteers, record books and honor cards
issued, a unit moved to another category or authority — every figure the statistics pages show (`queries`
over the area and unit summaries) equals a direct count over the records; and again after
`rebuild_statistics`. The areas checked: a city's clerk, the central authority, one category, one city, one
unit."""

import datetime as dt
import io
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volnet.honorcard.models import HonorCard
from volnet.records.models import (
    Consent,
    InsuranceCoverage,
    InsurancePolicy,
    RecordBook,
    ServiceRecord,
    TrainingRecord,
)
from volnet.statistics import queries
from volnet.units.models import Membership, Unit

ITEMS = ["關懷訪視", "環境清潔", "導覽解說"]
STATUSES = [ServiceRecord.Status.APPROVED, ServiceRecord.Status.APPROVED, ServiceRecord.Status.PENDING]
CONSENTS = [Consent.GIVEN, Consent.GIVEN, Consent.AWAITING]
YEARS = (2023, 2024, 2025)

record = st.fixed_dictionaries({
    "unit": st.integers(0, 2), "item": st.sampled_from(ITEMS), "status": st.sampled_from(STATUSES),
    "consent": st.sampled_from(CONSENTS),
    "start": st.dates(dt.date(2023, 11, 1), dt.date(2025, 2, 28)), "tenths": st.integers(1, 120),
})
operation = st.one_of(
    st.tuples(st.just("create"), record),
    st.tuples(st.just("edit"), st.integers(0, 50), record),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("leave"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("train"), st.integers(0, 1), st.integers(0, 2), st.sampled_from(CONSENTS)),
    st.tuples(st.just("untrain"), st.integers(0, 50)),
    st.tuples(st.just("insure"), st.integers(0, 2), st.sampled_from(YEARS), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("uninsure"), st.integers(0, 50)),
    st.tuples(st.just("book"), st.integers(0, 1), st.sampled_from(YEARS)),
    st.tuples(st.just("card"), st.integers(0, 1), st.sampled_from(YEARS)),
    st.tuples(st.just("unissue"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 2), st.sampled_from(["", "education", "health"]), st.booleans()),
)


def _nth(queryset, n):
    found = list(queryset.order_by("pk"))
    return found[n % len(found)] if found else None


def apply(op, world):
    units, people, registrant = world["units"], world["people"], world["registrant"]
    kind = op[0]
    if kind in ("create", "edit"):
        values = op[-1]
        target = ServiceRecord(volunteer=people[0], registrant=registrant, content="服務") if kind == "create" \
            else _nth(ServiceRecord.objects.all(), op[1])
        if target is None:
            return
        target.unit, target.service_item, target.status = units[values["unit"]], values["item"], values["status"]
        target.start_date = target.end_date = values["start"]
        target.consent, target.hours = values["consent"], Decimal(values["tenths"]) / 10
        target.save()
    elif kind == "delete" and (target := _nth(ServiceRecord.objects.all(), op[1])):
        target.delete()
    elif kind == "leave":
        membership = Membership.objects.filter(unit=units[op[1]], volunteer=people[op[2]]).first()
        if membership:
            membership.status = (Membership.Status.ENDED if membership.status == Membership.Status.ACTIVE
                                 else Membership.Status.ACTIVE)
            membership.save()
    elif kind == "train":
        TrainingRecord.objects.create(volunteer=people[op[1]], unit=units[op[2]], registrant=registrant,
                                      kind=TrainingRecord.Kind.BASIC, course="基礎訓練", organiser="社會局",
                                      start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 1, 1), minutes=720,
                                      consent=op[3])
    elif kind == "untrain" and (target := _nth(TrainingRecord.objects.all(), op[1])):
        target.delete()
    elif kind == "insure":
        policy = InsurancePolicy.objects.create(unit=units[op[1]], registrant=registrant, insurer="產險",
                                                policy_number=f"P{InsurancePolicy.objects.count()}",
                                                start_date=dt.date(op[2], 7, 1),
                                                end_date=dt.date(op[2] + (1 if op[4] else 0), 6 if op[4] else 12, 30))
        InsuranceCoverage.objects.create(policy=policy, volunteer=people[op[3]])
    elif kind == "uninsure" and (target := _nth(InsurancePolicy.objects.all(), op[1])):
        target.delete()  # its coverages go with it
    elif kind == "book":
        RecordBook.objects.create(volunteer=people[op[1]], number=f"B{RecordBook.objects.count()}",
                                  authority=world["authorities"][op[1]], issued_on=dt.date(op[2], 5, 1),
                                  status=RecordBook.Status.CANCELLED, category="social_welfare")
    elif kind == "card":
        HonorCard.objects.create(volunteer=people[op[1]], number=f"C{HonorCard.objects.count()}",
                                 authority=world["authorities"][op[1]], valid_from=dt.date(op[2], 5, 1),
                                 valid_to=dt.date(op[2] + 3, 4, 30),
                                 issued_at=dt.datetime(op[2], 12, 31, 20, tzinfo=dt.UTC))  # 1 January in Taipei
    elif kind == "unissue":
        target = _nth(RecordBook.objects.all(), op[1]) if op[1] % 2 else _nth(HonorCard.objects.all(), op[1])
        if target:
            target.delete()
    elif kind == "move":
        unit = Unit.objects.get(pk=units[op[1]].pk)
        unit.category = op[2]
        if op[3]:
            unit.authority = world["authorities"][1] if unit.authority == world["authorities"][0] \
                else world["authorities"][0]
        unit.save()


def direct_hours(units, **where):
    rows = ServiceRecord.objects.counting().filter(unit__in=units, **where)
    total = rows.aggregate(h=Sum("hours"), r=Count("id"))
    return {"hours": (total["h"] or Decimal("0")).quantize(Decimal("0.1")), "records": total["r"]}


def check_figures(area):
    units = area.units()
    assert queries.total_hours(area) == direct_hours(units)
    for row in queries.hours_by_year(area):
        assert {"hours": row["hours"], "records": row["records"]} == direct_hours(units, start_date__year=row["year"])
    for year in YEARS:
        for row in queries.hours_by_month(area, year):
            assert {"hours": row["hours"], "records": row["records"]} == direct_hours(
                units, start_date__year=year, start_date__month=row["month"])
        for row in queries.hours_by_item(area, year):
            assert {"hours": row["hours"], "records": row["records"]} == direct_hours(
                units, start_date__year=year, service_item=row["service_item"])
    if area.unit is None:
        for row in queries.hours_by_city(area):
            assert row["records"] == direct_hours(units, unit__authority=row["authority"])["records"]
    for row in queries.hours_by_unit(units):
        assert {"hours": row["hours"], "records": row["records"]} == direct_hours(units, unit_id=row["unit"])

    accepted = Membership.objects.accepted().filter(unit__in=units)
    serving = accepted.active()
    basic = TrainingRecord.objects.counting().filter(kind=TrainingRecord.Kind.BASIC, volunteer=OuterRef("volunteer"))
    assert queries.volunteers(area) == {"all": accepted.count(), "active": serving.count(),
                                        "trained": serving.filter(Exists(basic)).count()}
    for key, where in [("sex", "volunteer__sex"), ("category", "unit__category"), ("city", "unit__authority")]:
        rows = queries.volunteers_by(area, key)
        assert sum(row["people"] for row in rows) == serving.count()
        for row in rows:
            assert row["people"] == serving.filter(**{where: row["key"]}).count()
    for year in YEARS:
        bands = {row["key"]: row["people"] for row in queries.volunteers_by_age(area, dt.date(year, 1, 1))}
        expected = dict.fromkeys(bands, 0)
        for birth in serving.values_list("volunteer__birth_date", flat=True):
            expected[queries.age_band(year, birth.year if birth else None)] += 1
        assert bands == expected
        insured = [m for m in serving if InsuranceCoverage.objects.filter(
            volunteer_id=m.volunteer_id, policy__unit_id=m.unit_id, policy__start_date__year__lte=year,
            policy__end_date__year__gte=year).exists()]
        assert queries.insured(area, year) == len(insured)
        issuers = area.issuers()
        books = RecordBook.objects.filter(issued_on__year=year)
        cards = HonorCard.objects.filter(issued_at__year=year)  # the year in Taipei (USE_TZ, TIME_ZONE)
        if issuers is not None:
            books, cards = books.filter(authority__in=issuers), cards.filter(authority__in=issuers)
        assert queries.issued(area, year) == {"books": books.count(), "cards": cards.count()}
        districts = queries.by_district(units, year)
        assert sum(row["people"] for row in districts) == serving.count()
        assert sum(row["hours"] for row in districts) == direct_hours(units, start_date__year=year)["hours"]
    by_unit = queries.volunteers_by_unit(units)
    for unit in units:
        assert by_unit.get(unit.pk, 0) == serving.filter(unit=unit).count()


def check_every_area(world):
    first, second = world["authorities"]
    check_figures(queries.Area(authorities={first.pk}))
    check_figures(queries.Area(authorities=None))
    check_figures(queries.Area(authorities=None, category="education"))
    check_figures(queries.Area(authorities=None, city=second))
    unit = Unit.objects.get(pk=world["units"][0].pk)  # the page offers only a unit of the reader's area
    check_figures(queries.Area(authorities={unit.authority_id}, unit=unit))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=14))
def test_every_figure_equals_a_direct_count(ops, unit_a, unit_b, other_authority, volunteer, other_volunteer,
                                            supervisor_a):
    # each example in a savepoint rolled back at its end: the fixtures' rows are the same for every example
    with transaction.atomic():
        far = Unit.objects.create(code="9-001", name="臺北市志工隊", authority=other_authority, district="大安區",
                                  category="health")
        Membership.objects.create(volunteer=volunteer, unit=unit_b)
        Membership.objects.create(volunteer=other_volunteer, unit=far)
        world = {"units": [unit_a, unit_b, far], "people": [volunteer, other_volunteer], "registrant": supervisor_a,
                 "authorities": [unit_a.authority, other_authority]}
        for op in ops:
            apply(op, world)
        check_every_area(world)
        call_command("rebuild_statistics", "--quiet-bar", stdout=io.StringIO())
        check_every_area(world)
        transaction.set_rollback(True)
