"""The list pages cost the same number of queries for 3 rows as for 30 (no query per row)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from volnet.audit import log
from volnet.records.models import ServiceRecord
from volnet.units.models import Membership


def _grow(unit, registrant, start, count):
    for n in range(start, start + count):
        person = make_person(_valid_id(n), f"志工{n}")
        Membership.objects.create(volunteer=person, unit=unit, volunteer_number=f"{n:03d}")
        ServiceRecord.objects.create(volunteer=person, unit=unit, registrant=registrant, service_item="綜合服務",
                                     content=f"第{n}筆", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 1),
                                     hours=Decimal("2"), status="pending" if n % 2 else "approved",
                                     self_reported=bool(n % 2))
        log.record("records.service.created", actor=registrant, volunteer=person, unit=unit,
                   changes={"服務時數": ["", "2"]})


def _valid_id(n):
    from volnet.records.tests.excel_files import valid_id

    return valid_id("A", f"1{n:07d}")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["volunteers", "services", "approvals", "audit", "service_grid", "home"])
def test_a_page_costs_the_same_for_many_rows(staff_client, supervisor_a, unit_a, name):
    client = staff_client(supervisor_a)
    url = reverse(f"backoffice:{name}")
    _grow(unit_a, supervisor_a, 1, 3)
    few = _queries(client, url)
    _grow(unit_a, supervisor_a, 4, 27)
    assert _queries(client, url) == few
