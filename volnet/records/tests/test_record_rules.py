"""A valid record book and insurance in force on a day: one rule each, the same on every page."""

import datetime as dt

import pytest

from volnet.records import queries
from volnet.records.models import InsuranceCoverage, InsurancePolicy, RecordBook

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_valid_book_is_any_book_not_cancelled(volunteer, authority):
    for n, status in enumerate(RecordBook.Status.values):
        RecordBook.objects.filter(volunteer=volunteer).delete()
        book = RecordBook.objects.create(volunteer=volunteer, authority=authority, number=f"TC115-00000{n}",
                                         category="other", issued_on=D(2025, 1, 1), status=status)
        valid = status != RecordBook.Status.CANCELLED
        assert book.is_valid == valid == RecordBook.objects.valid().filter(pk=book.pk).exists()
        assert queries.current_record_book(volunteer) == (book if valid else None)


@pytest.fixture
def policy(unit_a, volunteer):
    policy = InsurancePolicy.objects.create(unit=unit_a, insurer="某產險", policy_number="P-1",
                                            start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    InsuranceCoverage.objects.create(policy=policy, volunteer=volunteer)
    return policy


@pytest.mark.parametrize("day, state", [
    (D(2025, 12, 31), "future"), (D(2026, 1, 1), "current"), (D(2026, 12, 31), "current"), (D(2027, 1, 1), "expired"),
])
def test_a_policy_is_in_force_from_its_first_to_its_last_day(policy, volunteer, day, state):
    in_force = state == "current"
    assert policy.state_on(day) == state
    assert InsurancePolicy.objects.in_force(day).filter(pk=policy.pk).exists() == in_force
    assert InsuranceCoverage.objects.in_force(day).filter(volunteer=volunteer).exists() == in_force
    assert queries.current_insurance(volunteer, today=day) == ([policy] if in_force else [])
