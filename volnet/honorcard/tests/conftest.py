"""Fixtures of the honor-card tests: an eligible volunteer, a card with a live QR code."""

import datetime as dt

import pytest

from volnet.eligibility.tests.builders import Builder

TODAY = dt.date(2025, 1, 15)


@pytest.fixture
def build(volunteer, unit_a, supervisor_a, authority):
    return Builder(volunteer, unit_a, supervisor_a, authority)


@pytest.fixture
def eligible(build, volunteer):
    """測試熊: trained 2021-10-01, 320 hours: eligible for a 榮譽卡 on TODAY, and with 1,600 h for a badge."""
    build.ready(dt.date(2021, 10, 1))
    build.hours(dt.date(2022, 5, 1), 320)
    return volunteer


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def card(build, volunteer):
    """A card valid today (whatever today is) for the volunteer."""
    from django.utils import timezone

    today = timezone.localdate()
    return build.card(valid_from=today - dt.timedelta(days=30), valid_to=today + dt.timedelta(days=1000),
                      number="TXG-SOC-115-00001")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The venue check's per-address counters live in the cache: every test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
