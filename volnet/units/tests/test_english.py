"""In English: a unit's words (membership status, roles, authorities) read in English where they are shown."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from conftest import in_english
from volnet.units import access
from volnet.units.models import Authority, Membership, StaffRole, Unit


def test_my_profile_shows_membership_status_in_english(client, volunteer, unit_b):
    Membership.objects.create(volunteer=volunteer, unit=unit_b, status=Membership.Status.ENDED,
                              joined_on=dt.date(2022, 1, 1), left_on=dt.date(2023, 1, 1))
    client.force_login(volunteer)
    page = in_english(client).get(reverse("portal:profile")).content.decode()
    assert "Serving" in page and "Left the unit" in page
    assert "服務中" not in page and "已離隊" not in page


def test_the_admin_pages_of_units_are_in_english(admin_client):
    page = in_english(admin_client).get(reverse("admin:units_unit_add")).content.decode()
    for text in ("Unit code", "Unit name", "Parent unit", "Competent authority", "Sector competent authority"):
        assert text in page, text
    page = admin_client.get(reverse("admin:units_staffrole_add")).content.decode()
    for text in ("Unit administrator", "Volunteer supervisor", "Case officer", "Competent authority case officer"):
        assert text in page, text


def test_a_refusal_is_worded_in_the_language_of_the_request(volunteer, unit_a):
    with translation.override("en"), pytest.raises(PermissionDenied) as refusal:
        access.require_unit(volunteer, unit_a)
    assert str(refusal.value) == "You do not have permission to manage this unit."
    with pytest.raises(PermissionDenied) as refusal:
        access.require_unit(volunteer, unit_a)
    assert str(refusal.value) == "您沒有管理此單位的權限。"


def test_choices_are_read_in_the_active_language_and_stored_as_codes(db):
    with translation.override("en"):
        authority = Authority.objects.create(code="TXG", name="臺中市政府社會局", level=Authority.Level.COUNTY)
        assert authority.get_level_display() == "County (city)"
        assert str(StaffRole._meta.get_field("role").verbose_name) == "Role"
        assert str(Unit._meta.verbose_name) == "Volunteer unit"
    assert Authority.objects.filter(level="county").exists()
    assert authority.get_level_display() == "縣(市)"
