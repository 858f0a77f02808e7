"""The helpers added for the back office: members of one unit, memberships and records by unit."""

import pytest
from django.core.exceptions import PermissionDenied

from volnet.records.models import ServiceRecord
from volnet.units import access
from volnet.units.models import Membership


def test_unit_members_refuses_a_unit_the_user_does_not_manage(supervisor_b, unit_a, volunteer):
    with pytest.raises(PermissionDenied):
        access.unit_members(supervisor_b, unit_a)


def test_unit_members_leaves_out_who_has_left_unless_asked(supervisor_a, unit_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status="ended")
    assert not access.unit_members(supervisor_a, unit_a).exists()
    assert [m.volunteer for m in access.unit_members(supervisor_a, unit_a, active_only=False)] == [volunteer]


def test_records_are_seen_only_by_the_unit_that_entered_them(supervisor_a, supervisor_b, service_record, unit_b,
                                                             volunteer):
    Membership.objects.create(volunteer=volunteer, unit=unit_b)
    mine = service_record()
    theirs = service_record(unit=unit_b, content="別的單位")
    assert list(access.managed_records(supervisor_a, ServiceRecord)) == [mine]
    assert list(access.managed_records(supervisor_b, ServiceRecord)) == [theirs]


def test_only_a_current_unit_may_change_a_volunteers_account(supervisor_a, volunteer):
    assert access.can_manage_volunteer(supervisor_a, volunteer, active_only=True)
    Membership.objects.filter(volunteer=volunteer).update(status="ended")
    assert access.can_manage_volunteer(supervisor_a, volunteer)
    assert not access.can_manage_volunteer(supervisor_a, volunteer, active_only=True)
