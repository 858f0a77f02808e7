import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Photos go to a temporary folder; every test starts with an empty cache (PDFs are cached)."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def many_services(volunteer, unit_a, supervisor_a):
    """many_services(n): n approved one-day records of `volunteer`, newest first = number 1."""
    from volnet.records.models import ServiceRecord

    def make(n, hours="2", start=dt.date(2020, 1, 1)):
        ServiceRecord.objects.bulk_create(
            ServiceRecord(volunteer=volunteer, unit=unit_a, registrant=supervisor_a, service_item="綜合服務",
                          content=f"關懷訪視第{i}次", start_date=start + dt.timedelta(days=i),
                          end_date=start + dt.timedelta(days=i), hours=Decimal(hours))
            for i in range(n)
        )

    return make
