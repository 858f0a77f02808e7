"""units.access.sign_in_refusal: the one answer to "may this unit manage this person's sign-in?"
(domain.md §9.12, issue 11). Each case is a person as a unit finds them."""

import pytest
from django.utils import timezone

from conftest import make_person
from volnet.units import access
from volnet.units.models import Membership, StaffRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return make_person("A123456789", "王小明")


def join(person, unit, **fields):
    return Membership.objects.create(volunteer=person, unit=unit, **fields)


def test_a_unit_the_person_serves_in_may(supervisor_a, unit_a, person):
    join(person, unit_a)
    assert access.sign_in_refusal(supervisor_a, person) is None
    assert access.can_manage_sign_in(supervisor_a, person)


def test_the_authority_above_the_unit_may_too(authority_clerk, unit_a, person):
    join(person, unit_a)
    assert access.sign_in_refusal(authority_clerk, person) is None


def test_a_unit_whose_request_is_unanswered_or_declined_may_not(supervisor_a, unit_a, person):
    membership = join(person, unit_a, status=Membership.Status.PENDING)
    assert access.sign_in_refusal(supervisor_a, person) == "not_accepted"
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.DECLINED,
                                                       answered_at=timezone.now())
    assert access.sign_in_refusal(supervisor_a, person) == "not_accepted"


def test_a_unit_the_person_left_or_never_served_in_may_not(supervisor_a, supervisor_b, unit_a, person):
    join(person, unit_a, status=Membership.Status.ENDED)
    assert access.sign_in_refusal(supervisor_a, person) == "not_member"
    assert access.sign_in_refusal(supervisor_b, person) == "not_member"


def test_a_unit_that_created_the_account_may_until_the_person_first_signs_in(supervisor_a, unit_a, person):
    membership = join(person, unit_a, created_account=True)
    assert access.sign_in_refusal(supervisor_a, person) is None
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert access.sign_in_refusal(supervisor_a, person) == "signed_in"
    Membership.objects.filter(pk=membership.pk).update(answered_at=timezone.now())  # the person confirms the unit
    assert access.sign_in_refusal(supervisor_a, person) is None


@pytest.mark.parametrize("role", ["unit_admin", "supervisor", "clerk"])
def test_never_someone_with_a_staff_role_even_in_another_unit(supervisor_a, unit_a, unit_b, person, role):
    join(person, unit_a)
    StaffRole.objects.create(user=person, role=role, unit=unit_b)
    assert access.sign_in_refusal(supervisor_a, person) == "staff_account"


def test_never_authority_staff_nor_administrators(supervisor_a, unit_a, authority, person):
    join(person, unit_a)
    role = StaffRole.objects.create(user=person, role="authority_staff", authority=authority)
    assert access.sign_in_refusal(supervisor_a, person) == "staff_account"
    role.is_active = False  # a role no longer in force protects nothing
    role.save()
    assert access.sign_in_refusal(supervisor_a, person) is None
    for flag in ("is_staff", "is_superuser"):
        setattr(person, flag, True)
        assert access.sign_in_refusal(supervisor_a, person) == "staff_account"
        setattr(person, flag, False)
