"""Rules of accounts.profile: what a volunteer may change about themselves, each change audited."""

import pytest

from volnet.accounts import profile as account_profile
from volnet.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _contact(**fields):
    data = {"phone": "", "address": "", "emergency_contact": "", "emergency_phone": ""}
    data.update(fields)
    return data


def test_update_contact_saves_trimmed_values_and_audits_the_difference(volunteer):
    changes = account_profile.update_contact(volunteer, _contact(phone=" 04-2222-3333 ", emergency_contact="媽媽"))
    assert changes == {"emergency_contact": ["", "媽媽"], "phone": ["", "04-2222-3333"]}
    volunteer.refresh_from_db()
    assert volunteer.phone == "04-2222-3333"
    entry = AuditEntry.objects.get(action="portal.profile.updated")
    assert (entry.actor, entry.volunteer, entry.changes) == (volunteer, volunteer, changes)


def test_update_contact_without_a_difference_writes_nothing(volunteer):
    assert account_profile.update_contact(volunteer, _contact()) == {}
    assert not AuditEntry.objects.exists()


def test_update_contact_never_touches_other_fields(volunteer):
    account_profile.update_contact(volunteer,
                                   {**_contact(phone="0912-000-111"), "name": "改名", "email": "x@example.tw"})
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.email) == ("測試熊", "bear@example.tw")


def test_asking_to_change_to_the_same_email_is_refused(volunteer):
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.request_email_change(volunteer, "Bear@Example.tw")
    assert error.value.code == "same_email"


def test_a_token_names_the_person_the_new_and_the_old_address(volunteer, other_volunteer):
    token = account_profile.email_change_token(volunteer, "new@example.tw")
    assert account_profile.read_email_change(token, volunteer) == "new@example.tw"
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.read_email_change(token, other_volunteer)
    assert error.value.code == "other_person"
    assert "new@example.tw" not in token  # signed and compressed, not a readable address in the URL


def test_confirming_changes_the_address_once(volunteer):
    token = account_profile.email_change_token(volunteer, "new@example.tw")
    assert account_profile.confirm_email_change(volunteer, token) == "new@example.tw"
    volunteer.refresh_from_db()
    assert volunteer.email == "new@example.tw" and volunteer.email_verified_at
    with pytest.raises(account_profile.ProfileError) as error:
        account_profile.confirm_email_change(volunteer, token)
    assert error.value.code == "used"
