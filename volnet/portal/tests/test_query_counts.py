"""Every page runs the same number of queries whether the volunteer has 1 record of each kind or 50."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from volnet.honorcard.models import HonorCard
from volnet.records.models import (
    Award,
    InsuranceCoverage,
    InsurancePolicy,
    OtherItem,
    RecordBook,
    RecordBookApplication,
    ServiceRecord,
    TrainingRecord,
)
from volnet.recruitment.models import Application, Posting

pytestmark = pytest.mark.django_db

PAGES = [
    "/me/",
    "/me/services/?tab=training",
    "/me/services/?tab=book",
    "/me/services/?tab=services",
    "/me/services/?tab=services&page=3",
    "/me/services/?tab=insurance",
    "/me/services/?tab=other",
    "/me/honors/",
    "/me/applications/",
    "/me/profile/",
]


def _add_records(volunteer, unit, registrant, authority, start, count):
    """`count` records of every kind, numbered from `start` (so calls can add more)."""
    for i in range(start, start + count):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=37 * i)
        TrainingRecord.objects.create(volunteer=volunteer, unit=unit, registrant=registrant, kind="basic",
                                      course="基礎訓練", organiser="中心", start_date=day, minutes=60 + i)
        for status in ("approved", "approved", "pending"):
            ServiceRecord.objects.create(volunteer=volunteer, unit=unit, registrant=registrant, service_item="綜合服務",
                                         content=f"服務{i}", start_date=day, end_date=day, hours=Decimal("2.5"),
                                         status=status, self_reported=status == "pending")
        RecordBook.objects.create(volunteer=volunteer, authority=authority, number=f"B-{i}", issued_on=day,
                                  status="cancelled", category="social_welfare", applied_by=unit)
        RecordBookApplication.objects.create(volunteer=volunteer, unit=unit, kind="replaced", category="social_welfare",
                                             status="pending" if i == 0 else "rejected")
        policy = InsurancePolicy.objects.create(unit=unit, insurer="保險公司", policy_number=f"P-{i}", start_date=day,
                                                end_date=day + dt.timedelta(days=365))
        InsuranceCoverage.objects.create(policy=policy, volunteer=volunteer)
        OtherItem.objects.create(volunteer=volunteer, unit=unit, registrant=registrant, title=f"事項{i}",
                                 start_date=day)
        for kind in Award.Kind.values:
            Award.objects.create(volunteer=volunteer, unit=unit, kind=kind, name="獎", awarded_on=day, granted_by="部")
        HonorCard.objects.create(volunteer=volunteer, authority=authority, number=f"HC-{i}", valid_from=day,
                                 valid_to=day + dt.timedelta(days=1000))
        posting = Posting.objects.create(unit=unit, title=f"招募{i}", service_item="綜合服務", place="臺中",
                                         start_date=day, end_date=day, quota=1)
        Application.objects.create(posting=posting, volunteer=volunteer)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_page_runs_a_fixed_number_of_queries(volunteer_client, volunteer, unit_a, supervisor_a, authority):
    _add_records(volunteer, unit_a, supervisor_a, authority, 0, 1)
    volunteer_client.get("/me/")  # warm up what every process does once (content types, sessions)
    cache.clear()
    few = {url: _count(volunteer_client, url) for url in PAGES}
    _add_records(volunteer, unit_a, supervisor_a, authority, 1, 49)
    cache.clear()
    many = {url: _count(volunteer_client, url) for url in PAGES}
    assert many == few
    assert max(many.values()) <= 13, many  # 12, and the header's count of unread notifications


def test_the_cached_hours_tab_needs_only_the_fingerprint_query(volunteer_client, volunteer, unit_a, supervisor_a,
                                                               authority):
    _add_records(volunteer, unit_a, supervisor_a, authority, 0, 50)
    url = "/me/services/?tab=services"
    miss = _count(volunteer_client, url)
    hit = _count(volunteer_client, url)
    assert hit == miss - 3  # yearly totals, the page of rows and the self-reports come from the cache
    # session, user, fingerprint, the header's unread count, and the session save (its UPDATE inside a savepoint
    # pair)
    assert hit <= 7
