"""The states of a membership the rules talk about, each defined once on Membership's queryset."""

import datetime as dt

import pytest

from conftest import make_person
from volnet.units.models import Membership, Unit

pytestmark = pytest.mark.django_db
S = Membership.Status


@pytest.fixture
def one_of_each(unit_a, unit_b, authority):
    """A person with a membership in every state, each in its own unit, plus a created-account one."""
    person = make_person("A123456789", "王小明")
    units = {status: Unit.objects.create(code=f"9-{n}", name=f"單位{n}", authority=authority)
             for n, status in enumerate(S.values)}
    made = {status: Membership.objects.create(volunteer=person, unit=unit, status=status, joined_on=dt.date(2024, 1, 1),
                                              left_on=dt.date(2025, 1, 1) if status == S.ENDED else None)
            for status, unit in units.items()}
    created = Membership.objects.create(volunteer=person, unit=unit_a, created_account=True)
    return person, made, created


def _statuses(queryset):
    return sorted({m.status for m in queryset})


def test_each_state_finds_exactly_its_memberships(one_of_each):
    person, made, created = one_of_each
    memberships = Membership.objects.filter(volunteer=person)
    assert _statuses(memberships.active()) == [S.ACTIVE]
    assert _statuses(memberships.accepted()) == sorted([S.ACTIVE, S.ENDED])
    assert _statuses(memberships.open()) == sorted([S.ACTIVE, S.PENDING])
    assert _statuses(memberships.requests()) == sorted([S.DECLINED, S.PENDING])
    assert set(memberships.awaiting_answer()) == {made[S.PENDING], created}


def test_a_membership_answers_the_same_questions_about_itself(one_of_each):
    person, made, created = one_of_each
    for membership in Membership.objects.filter(volunteer=person):
        assert membership.is_active == Membership.objects.active().filter(pk=membership.pk).exists()
        assert membership.is_accepted == Membership.objects.accepted().filter(pk=membership.pk).exists()
        assert membership.awaits_answer == Membership.objects.awaiting_answer().filter(pk=membership.pk).exists()


def test_confirming_the_unit_that_created_the_account_ends_the_question(one_of_each):
    person, made, created = one_of_each
    created.answered_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    created.save()
    assert not created.awaits_answer
    assert list(Membership.objects.filter(volunteer=person).awaiting_answer()) == [made[S.PENDING]]


def test_the_units_a_person_serves_in_are_those_of_active_memberships_only(one_of_each, volunteer, unit_a):
    person, made, created = one_of_each
    assert set(Unit.objects.served_by(person)) == {made[S.ACTIVE].unit, unit_a}
    assert list(Unit.objects.served_by(volunteer)) == [unit_a]
