"""The volunteer actions of a unit: add by ID (never a duplicate), contact changes, passwords, leaving."""

import datetime as dt

import pytest
from django.utils import timezone

from volnet.accounts.models import User
from volnet.audit.models import AuditEntry
from volnet.people import services as people
from volnet.people.services import PeopleError
from volnet.records.models import ServiceRecord
from volnet.units.models import Membership

NEW_ID = "A123456789"


def create(actor, unit, **overrides):
    values = dict(national_id=NEW_ID, name="王小明", birth_date=dt.date(1950, 2, 2), sex="M",
                  email="ming@example.tw", phone="0912345678")
    values.update(overrides)
    return people.create_volunteer(actor=actor, unit=unit, **values)


def test_a_new_person_gets_an_account_that_must_change_its_temporary_password(supervisor_a, unit_a):
    person, membership, password = create(supervisor_a, unit_a, national_id=" a123456789 ")
    assert person.national_id == NEW_ID
    assert person.must_change_password
    assert person.check_password(password)
    assert membership.unit == unit_a and membership.status == Membership.Status.ACTIVE
    assert membership.created_account and membership.answered_at is None
    created = AuditEntry.objects.get(action="backoffice.volunteer.created")
    assert created.unit == unit_a
    assert created.changes["身分證號碼"] == ["", "A12345****"]
    assert AuditEntry.objects.filter(action="backoffice.membership.created", volunteer=person).exists()


def test_a_bad_id_number_is_refused_with_the_reason(supervisor_a, unit_a):
    with pytest.raises(PeopleError) as error:
        create(supervisor_a, unit_a, national_id="A123456788")
    assert error.value.field == "national_id"
    assert "檢查碼" in error.value.message
    assert not User.objects.filter(name="王小明").exists()


def test_an_existing_person_is_never_created_twice(supervisor_a, unit_a, other_volunteer):
    with pytest.raises(PeopleError) as error:
        create(supervisor_a, unit_a, national_id=other_volunteer.national_id)
    assert error.value.code == "exists"
    assert User.objects.filter(national_id=other_volunteer.national_id).count() == 1


def test_an_existing_person_is_asked_to_join_a_second_unit_keeping_the_first(supervisor_a, unit_a, other_volunteer):
    membership = people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer,
                                           volunteer_number="A-07")
    assert (membership.status, membership.requested_by, membership.volunteer_number) == (
        Membership.Status.PENDING, supervisor_a, "A-07")
    assert set(other_volunteer.memberships.values_list("unit__code", "status")) == {
        ("1-187", "active"), ("2-299", "pending")}
    entry = AuditEntry.objects.get(action="backoffice.membership.requested")
    assert (entry.actor, entry.volunteer, entry.unit) == (supervisor_a, other_volunteer, unit_a)


def test_asking_a_member_or_asking_twice_is_refused(supervisor_a, unit_a, volunteer, other_volunteer):
    with pytest.raises(PeopleError) as error:
        people.request_membership(actor=supervisor_a, unit=unit_a, person=volunteer)
    assert error.value.code == "already_member"
    people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)
    with pytest.raises(PeopleError) as error:
        people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)
    assert error.value.code == "already_asked" and "陳○同" in error.value.message
    assert Membership.objects.filter(volunteer=other_volunteer, unit=unit_a).count() == 1


def test_staff_add_people_only_to_their_own_units(supervisor_b, unit_a, volunteer):
    with pytest.raises(PeopleError) as error:
        create(supervisor_b, unit_a)
    assert error.value.code == "forbidden"
    assert not User.objects.filter(national_id=NEW_ID).exists()


def test_a_contact_change_is_audited_before_and_after_and_unverifies_a_new_email(supervisor_a, unit_a, volunteer):
    volunteer.email_verified_at = timezone.now()
    volunteer.save()
    person, changes = people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer,
                                            email="new@example.tw", phone="04-2222-3333")
    assert person.email_verified_at is None
    entry = AuditEntry.objects.get(action="backoffice.volunteer.updated")
    assert entry.changes == {"電子信箱": ["bear@example.tw", "new@example.tw"], "電話": ["", "04-2222-3333"]}
    assert entry.unit == unit_a and entry.actor == supervisor_a


def test_only_a_unit_the_volunteer_serves_in_now_may_change_the_account(supervisor_a, unit_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status="ended", left_on=dt.date(2025, 1, 1))
    with pytest.raises(PeopleError) as error:
        people.update_contact(actor=supervisor_a, unit=unit_a, person=volunteer, phone="1")
    assert error.value.code == "forbidden"
    with pytest.raises(PeopleError):
        people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=volunteer)


def test_a_temporary_password_replaces_the_old_one_and_is_audited_with_the_unit(supervisor_a, unit_a, volunteer):
    password = people.set_temporary_password(actor=supervisor_a, unit=unit_a, person=volunteer)
    volunteer.refresh_from_db()
    assert volunteer.check_password(password)
    assert volunteer.must_change_password
    assert AuditEntry.objects.filter(action="backoffice.password.temporary_set", unit=unit_a).exists()


def test_the_reset_link_goes_to_the_address_on_file(supervisor_a, unit_a, volunteer, mailbox):
    masked = people.send_reset_link(actor=supervisor_a, unit=unit_a, person=volunteer)
    assert masked == "b***@example.tw"
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert "/accounts/password/reset/" in message.get_body(preferencelist=("plain",)).get_content()


def test_without_an_email_there_is_no_reset_link(supervisor_a, unit_a, volunteer):
    User.objects.filter(pk=volunteer.pk).update(email="")
    volunteer.refresh_from_db()
    with pytest.raises(PeopleError) as error:
        people.send_reset_link(actor=supervisor_a, unit=unit_a, person=volunteer)
    assert error.value.code == "no_email"


def test_ending_a_membership_keeps_every_record(supervisor_a, unit_a, volunteer, service_record):
    service_record()
    membership = volunteer.memberships.get()
    people.end_membership(actor=supervisor_a, membership=membership, left_on=dt.date(2025, 6, 30))
    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == (Membership.Status.ENDED, dt.date(2025, 6, 30))
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 1
    with pytest.raises(PeopleError) as error:
        people.end_membership(actor=supervisor_a, membership=membership)
    assert error.value.code == "already_ended"


def test_the_leaving_date_is_after_joining_and_not_in_the_future(supervisor_a, volunteer):
    membership = volunteer.memberships.get()
    with pytest.raises(PeopleError) as error:
        people.end_membership(actor=supervisor_a, membership=membership, left_on=dt.date(2020, 1, 1))
    assert error.value.field == "left_on"
    with pytest.raises(PeopleError):
        people.end_membership(actor=supervisor_a, membership=membership,
                              left_on=timezone.localdate() + dt.timedelta(days=1))


def test_another_unit_cannot_end_the_membership(supervisor_b, volunteer):
    with pytest.raises(PeopleError) as error:
        people.end_membership(actor=supervisor_b, membership=volunteer.memberships.get())
    assert error.value.code == "forbidden"
