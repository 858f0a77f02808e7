import pytest

from volnet.units import access
from volnet.units.models import Unit


def test_unit_staff_manage_their_unit_and_its_teams_only(supervisor_a, unit_a, unit_b, authority):
    team = Unit.objects.create(code="2-300", name="樂樂第二隊", authority=authority, parent=unit_a)
    assert set(access.managed_units(supervisor_a)) == {unit_a, team}
    assert access.can_manage_unit(supervisor_a, team)
    assert not access.can_manage_unit(supervisor_a, unit_b)


def test_authority_staff_manage_every_unit_of_their_authority(authority_clerk, unit_a, unit_b, other_authority):
    elsewhere = Unit.objects.create(code="9-001", name="臺北某志工隊", authority=other_authority)
    assert set(access.managed_units(authority_clerk)) == {unit_a, unit_b}
    assert not access.can_manage_unit(authority_clerk, elsewhere)
    assert access.is_authority_staff(authority_clerk)


def test_staff_see_only_volunteers_of_their_units(supervisor_a, supervisor_b, volunteer, other_volunteer):
    assert list(access.managed_volunteers(supervisor_a)) == [volunteer]
    assert list(access.managed_volunteers(supervisor_b)) == [other_volunteer]
    assert not access.can_manage_volunteer(supervisor_a, other_volunteer)


def test_volunteers_and_strangers_manage_nothing(volunteer, unit_a, client):
    from django.contrib.auth.models import AnonymousUser

    assert not access.managed_units(volunteer).exists()
    assert not access.is_staff_member(volunteer)
    assert not access.managed_units(AnonymousUser()).exists()


def test_an_inactive_role_grants_nothing(supervisor_a, unit_a):
    supervisor_a.staff_roles.update(is_active=False)
    assert not access.managed_units(supervisor_a).exists()


@pytest.mark.parametrize("status", ["pending", "declined", "ended"])
def test_a_role_not_accepted_or_ended_grants_nothing_even_if_switched_on(supervisor_a, unit_a, status):
    """In force is one rule (StaffRole.IN_FORCE): the access checks, the review steps and the staff notices
    agree on it. A role switched on (is_active, e.g. in the admin) whose person never accepted it, or which
    ended, grants nothing: the access checks looked at is_active alone and let it manage the unit."""
    supervisor_a.staff_roles.update(status=status, is_active=True)
    assert not access.managed_units(supervisor_a).exists() and not access.is_staff_member(supervisor_a)
    assert not access.unit_staff_with_role(unit_a, "supervisor").exists()
    assert access.unit_staff_in_force([unit_a.pk]) == {unit_a.pk: []}
