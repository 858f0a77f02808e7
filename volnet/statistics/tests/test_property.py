"""Property: after any mix of creates, edits and deletes of service records and memberships, every figure the
statistics pages show (statistics.queries over the summary tables) equals a direct count over the records;
and again after `rebuild_statistics`."""

import datetime as dt
import io
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volnet.records.models import Consent, ServiceRecord
from volnet.statistics import queries
from volnet.units.models import Membership, Unit

ITEMS = ["關懷訪視", "環境清潔", "導覽解說"]
STATUSES = [ServiceRecord.Status.APPROVED, ServiceRecord.Status.APPROVED, ServiceRecord.Status.PENDING]

record = st.fixed_dictionaries({
    "unit": st.integers(0, 1), "item": st.sampled_from(ITEMS), "status": st.sampled_from(STATUSES),
    "consent": st.sampled_from([Consent.GIVEN, Consent.GIVEN, Consent.AWAITING]),
    "start": st.dates(dt.date(2023, 11, 1), dt.date(2025, 2, 28)), "tenths": st.integers(1, 120),
})
operation = st.one_of(
    st.tuples(st.just("create"), record),
    st.tuples(st.just("edit"), st.integers(0, 50), record),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("leave"), st.integers(0, 1)),
)


def apply(op, units, volunteer, registrant):
    existing = list(ServiceRecord.objects.order_by("pk"))
    if op[0] == "create":
        values = op[1]
        ServiceRecord.objects.create(
            volunteer=volunteer, registrant=registrant, unit=units[values["unit"]], service_item=values["item"],
            content="服務", start_date=values["start"], end_date=values["start"], status=values["status"],
            consent=values["consent"], hours=Decimal(values["tenths"]) / 10)
    elif op[0] == "edit" and existing:
        target, values = existing[op[1] % len(existing)], op[2]
        target.unit, target.service_item, target.status = units[values["unit"]], values["item"], values["status"]
        target.start_date = target.end_date = values["start"]
        target.consent, target.hours = values["consent"], Decimal(values["tenths"]) / 10
        target.save()
    elif op[0] == "delete" and existing:
        existing[op[1] % len(existing)].delete()
    elif op[0] == "leave":
        membership = Membership.objects.filter(unit=units[op[1]]).first()
        if membership:
            membership.status = (Membership.Status.ENDED if membership.status == Membership.Status.ACTIVE
                                 else Membership.Status.ACTIVE)
            membership.save()


def direct_hours(units, **where):
    rows = ServiceRecord.objects.counting().filter(unit__in=units, **where)
    total = rows.aggregate(h=Sum("hours"), r=Count("id"))
    return {"hours": (total["h"] or Decimal("0")).quantize(Decimal("0.1")), "records": total["r"]}


def check_figures(units):
    assert queries.total_hours(units) == direct_hours(units)
    for row in queries.hours_by_year(units):
        assert {"hours": row["hours"], "records": row["records"]} == direct_hours(units, start_date__year=row["year"])
    for year in (2023, 2024, 2025):
        for row in queries.hours_by_month(units, year):
            assert {"hours": row["hours"], "records": row["records"]} == direct_hours(
                units, start_date__year=year, start_date__month=row["month"])
        for row in queries.hours_by_item(units, year):
            assert {"hours": row["hours"], "records": row["records"]} == direct_hours(
                units, start_date__year=year, service_item=row["service_item"])
    for row in queries.hours_by_unit(units):
        assert {"hours": row["hours"], "records": row["records"]} == direct_hours(units, unit_id=row["unit"])
    assert sum(row["records"] for row in queries.hours_by_city(units)) == direct_hours(units)["records"]
    accepted = Membership.objects.accepted().filter(unit__in=units)
    assert queries.volunteers(units) == {"all": accepted.count(), "active": accepted.active().count()}
    for row in queries.volunteers_by(units, "sex"):
        assert row["people"] == accepted.active().filter(volunteer__sex=row["key"]).count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=12))
def test_every_figure_equals_a_direct_count(ops, unit_a, unit_b, volunteer, other_volunteer, supervisor_a):
    # each example in a savepoint rolled back at its end: the fixtures' rows are the same for every example
    with transaction.atomic():
        Membership.objects.create(volunteer=volunteer, unit=unit_b)
        for op in ops:
            apply(op, [unit_a, unit_b], volunteer, supervisor_a)
        units = Unit.objects.filter(pk__in=[unit_a.pk, unit_b.pk])
        check_figures(units)
        check_figures(Unit.objects.filter(pk=unit_a.pk))
        call_command("rebuild_statistics", "--quiet-bar", stdout=io.StringIO())
        check_figures(units)
        transaction.set_rollback(True)
