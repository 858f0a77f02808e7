import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The hours tab caches its HTML; each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_training(volunteer, unit_a, supervisor_a):
    from volnet.records.models import TrainingRecord

    def make(start=dt.date(2024, 5, 1), minutes=120, volunteer_=None, **extra):
        return TrainingRecord.objects.create(
            volunteer=volunteer_ or volunteer, unit=extra.pop("unit", unit_a), registrant=supervisor_a,
            kind=extra.pop("kind", TrainingRecord.Kind.BASIC), course=extra.pop("course", "基礎訓練"),
            organiser=extra.pop("organiser", "臺中市志願服務推廣中心"), start_date=start, minutes=minutes, **extra,
        )

    return make


@pytest.fixture
def make_policy(unit_a):
    from volnet.records.models import InsuranceCoverage, InsurancePolicy

    def make(start, end, *covered, number=None, insurer="富邦產物保險", unit=None):
        policy = InsurancePolicy.objects.create(
            unit=unit or unit_a, insurer=insurer,
            policy_number=number or f"P-{start:%Y%m%d}-{InsurancePolicy.objects.count()}",
            start_date=start, end_date=end, accident_sum=1_000_000, medical_sum=30_000,
        )
        for person in covered:
            InsuranceCoverage.objects.create(policy=policy, volunteer=person)
        return policy

    return make
