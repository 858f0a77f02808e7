"""志願服務績效證明書 (domain.md §3.5): 1 year and 150 hours, each unit for its own hours."""

import datetime as dt
from decimal import Decimal

from volnet.eligibility.engine import evaluate_volunteer
from volnet.units.models import Membership

TODAY = dt.date(2025, 2, 10)  # window ends 2025-01-31


def test_each_unit_certifies_only_its_own_hours(build, volunteer, unit_a, unit_b):
    build.ready(dt.date(2021, 10, 3))
    Membership.objects.create(volunteer=volunteer, unit=unit_b, joined_on=dt.date(2022, 1, 1))
    build.hours(dt.date(2022, 3, 1), 150)
    build.hours(dt.date(2022, 3, 1), 100, unit=unit_b)
    certificates = evaluate_volunteer(volunteer, TODAY).certificates
    assert certificates[unit_a.pk].eligible
    assert certificates[unit_b.pk].reasons == ["時數不足 100/150"]


def test_seniority_at_a_unit_starts_when_the_volunteer_joined_it(build, volunteer, unit_b):
    build.ready(dt.date(2021, 10, 3))
    Membership.objects.create(volunteer=volunteer, unit=unit_b, joined_on=dt.date(2024, 3, 1))
    build.hours(dt.date(2024, 3, 1), 200, unit=unit_b)
    result = evaluate_volunteer(volunteer, TODAY).certificates[unit_b.pk]
    assert result.reasons == ["年資不足 11個月/1年"]
    assert evaluate_volunteer(volunteer, dt.date(2025, 3, 1)).certificates[unit_b.pk].eligible


def test_a_certificate_needs_a_record_book(build, volunteer, unit_a):
    build.basic(dt.date(2021, 10, 3))
    build.special(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 200)
    result = evaluate_volunteer(volunteer, TODAY).certificates[unit_a.pk]
    assert result.reasons == ["缺紀錄冊"]
    assert result.hours == Decimal("200")
