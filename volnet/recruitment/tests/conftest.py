import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def posting_factory(unit_a, supervisor_a):
    """posting_factory(title=…, unit=…, quota=…, is_published=…, ends_in_days=…) → a Posting."""
    from volnet.recruitment.models import Posting

    def make(title="社區長者電話問安志工", unit=None, quota=5, ends_in_days=60, **extra):
        today = timezone.localdate()
        extra.setdefault("service_item", "老人服務")
        extra.setdefault("place", "臺中市西屯區")
        extra.setdefault("start_date", today - dt.timedelta(days=30))
        return Posting.objects.create(
            unit=unit or unit_a, title=title, quota=quota, end_date=today + dt.timedelta(days=ends_in_days),
            created_by=supervisor_a, requirements="完成基礎訓練", description="每週電話關懷獨居長者。", **extra,
        )

    return make


@pytest.fixture
def posting(posting_factory):
    return posting_factory()


@pytest.fixture
def newcomer(db):
    """A signed-up person who is not yet a member of any unit."""
    from conftest import make_person

    return make_person("A123456789", "王小明", email="ming@example.tw", phone="0912-000-111")
