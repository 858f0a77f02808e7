"""Staff roles run in the site: invited by ID number, in force only once the person accepts, ended with a
date and a reason; the authority appoints 負責人 and 督導, a 督導 the 承辦人 of their own unit (issue 13)."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.desk import services
from volnet.units import access
from volnet.units.models import StaffRole

pytestmark = pytest.mark.django_db

CLERK_ID = "M123456789"


@pytest.fixture
def newcomer(db):
    return make_person(CLERK_ID, "林承辦", email="clerk@example.tw")


def test_a_supervisor_invites_a_clerk_who_accepts_in_my_profile(client, supervisor_a, unit_a, newcomer, mailbox):
    client.force_login(supervisor_a)
    response = client.post(reverse("desk:staff"), {"unit": unit_a.pk, "national_id": CLERK_ID, "role": "clerk"})
    assert response.status_code == 302
    role = StaffRole.objects.get(user=newcomer, unit=unit_a)
    assert role.status == "pending" and not access.is_staff_member(newcomer)
    (message,) = mailbox.wait_for(to="clerk@example.tw")
    assert "承辦人" in message["Subject"]
    staff_page = client.get(reverse("desk:staff")).content.decode()
    assert "林○辦" in staff_page and "林承辦" not in staff_page  # masked until the person accepts

    client.force_login(newcomer)
    assert "邀請您擔任承辦人" in client.get(reverse("portal:unit_requests")).content.decode()
    client.post(reverse("desk_portal:invitation_answer", args=[role.pk]), {"answer": "accept"})
    role.refresh_from_db()
    assert role.status == "active" and access.can_manage_unit(newcomer, unit_a)
    assert [e.action for e in AuditEntry.objects.filter(unit=unit_a).order_by("at", "id")] == [
        "desk.staff.invited", "desk.staff.accepted"]


def test_a_declined_invitation_gives_no_access(supervisor_a, unit_a, newcomer):
    role = services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    services.answer_invitation(person=newcomer, role_id=role.pk, accept=False)
    assert StaffRole.objects.get(pk=role.pk).status == "declined" and not access.is_staff_member(newcomer)


def test_nobody_answers_someone_elses_invitation(client, supervisor_a, unit_a, newcomer, volunteer):
    role = services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    client.force_login(volunteer)
    response = client.post(reverse("desk_portal:invitation_answer", args=[role.pk]), {"answer": "accept"})
    assert response.status_code == 404
    assert StaffRole.objects.get(pk=role.pk).status == "pending"


def test_a_supervisor_appoints_clerks_only_and_only_in_their_own_unit(supervisor_a, unit_a, unit_b, newcomer):
    with pytest.raises(services.DeskError) as supervisor:
        services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="supervisor")
    assert supervisor.value.code == "forbidden"
    with pytest.raises(services.DeskError):
        services.invite_staff(actor=supervisor_a, unit=unit_b, national_id=CLERK_ID, role="clerk")
    assert not StaffRole.objects.filter(user=newcomer).exists()


def test_a_clerk_appoints_nobody(client, supervisor_a, unit_a, newcomer):
    role = services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    services.answer_invitation(person=newcomer, role_id=role.pk, accept=True)
    client.force_login(newcomer)
    page = client.get(reverse("desk:staff")).content.decode()
    assert "送出邀請" not in page
    with pytest.raises(services.DeskError):
        services.invite_staff(actor=newcomer, unit=unit_a, national_id="B223456782", role="clerk")


def test_the_authority_appoints_heads_and_supervisors(authority_clerk, unit_a, newcomer):
    for role in ("head", "supervisor"):
        staff_role = services.invite_staff(actor=authority_clerk, unit=unit_a, national_id=CLERK_ID, role=role)
        services.answer_invitation(person=newcomer, role_id=staff_role.pk, accept=True)
    assert set(StaffRole.objects.filter(user=newcomer, is_active=True).values_list("role", flat=True)) == {
        "head", "supervisor"}


def test_another_authority_appoints_nobody_here(other_authority, unit_a, newcomer):
    stranger = make_person("A298765419", "別處承辦")
    StaffRole.objects.create(user=stranger, role="authority_staff", authority=other_authority)
    with pytest.raises(services.DeskError):
        services.invite_staff(actor=stranger, unit=unit_a, national_id=CLERK_ID, role="supervisor")


def test_a_role_for_a_person_without_an_account_is_a_clear_message(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("desk:staff"), {"unit": unit_a.pk, "national_id": "N123456780", "role": "clerk"})
    page = response.content.decode()
    assert response.status_code == 200 and "還沒有帳號" in page and 'value="N123456780"' in page
    assert not StaffRole.objects.filter(unit=unit_a, role="clerk").exists()


def test_inviting_twice_is_refused(supervisor_a, unit_a, newcomer):
    services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    with pytest.raises(services.DeskError) as twice:
        services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    assert twice.value.code == "already"


def test_a_role_ends_with_a_date_and_a_reason(client, supervisor_a, unit_a, newcomer):
    role = services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    services.answer_invitation(person=newcomer, role_id=role.pk, accept=True)
    client.force_login(supervisor_a)
    empty = client.post(reverse("desk:staff_end", args=[role.pk]), {"ended_on": "115/01/31", "reason": ""})
    assert empty.status_code == 200 and StaffRole.objects.get(pk=role.pk).status == "active"
    response = client.post(reverse("desk:staff_end", args=[role.pk]), {"ended_on": "115/01/31", "reason": "調職"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.status, role.ended_on, role.end_reason) == ("ended", dt.date(2026, 1, 31), "調職")
    assert not access.can_manage_unit(newcomer, unit_a)
    entry = AuditEntry.objects.get(action="desk.staff.ended")
    assert entry.changes["卸任原因"] == ["", "調職"]
    # Ended: the same person may be invited again.
    again = services.invite_staff(actor=supervisor_a, unit=unit_a, national_id=CLERK_ID, role="clerk")
    assert again.status == "pending"


def test_a_unit_never_ends_another_units_roles(client, supervisor_a, supervisor_b):
    role = StaffRole.objects.get(user=supervisor_b)
    client.force_login(supervisor_a)
    assert client.get(reverse("desk:staff_end", args=[role.pk])).status_code == 404
    with pytest.raises(services.DeskError):
        services.end_role(actor=supervisor_a, role_id=role.pk, ended_on=dt.date(2026, 1, 1), reason="x")
