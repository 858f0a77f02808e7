"""Attacks on account ownership (issue 11): a unit never takes over a person's sign-in.

A supervisor of unit B looks up someone else's ID number (a volunteer of unit A, an authority clerk, a
system administrator), adds them to unit B and then tries (a) a temporary password to sign in with, or
(b) to put its own address on the account and mail itself a reset link. Every step after the lookup is
refused, the victim's account is unchanged and the attacker never holds a password that signs in.
"""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_person
from volnet.accounts.models import User
from volnet.units.models import Membership

ATTACKER_MAIL = "attacker@example.net"


@pytest.fixture
def attacker(staff_client, supervisor_b):
    return staff_client(supervisor_b)


@pytest.fixture
def site_admin(db):
    return make_person("C120000009", "系統管理員甲", email="root@example.tw", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_flag_only(db):
    return make_person("D120000000", "後台人員乙", email="staff@example.tw", is_staff=True)


VICTIMS = ["volunteer", "authority_clerk", "site_admin", "staff_flag_only"]


def enrol(attacker, victim):
    attacker.post(reverse("backoffice:volunteer_add"), {"step": "enrol", "national_id": victim.national_id})


def signs_in(national_id, password):
    client = Client()
    client.post(reverse("accounts:login"), {"national_id": national_id, "password": password,
                                            "captcha": "PASSED", "captcha_key": "unused"})
    return "_auth_user_id" in client.session


def unchanged(victim, email):
    victim.refresh_from_db()
    return (victim.check_password(PASSWORD), victim.must_change_password, victim.email) == (True, False, email)


@pytest.mark.parametrize("who", VICTIMS)
def test_a_unit_that_adds_someone_cannot_give_itself_a_password_for_them(request, who, attacker, test_captcha):
    victim = request.getfixturevalue(who)
    email = victim.email
    enrol(attacker, victim)
    response = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "temporary"},
                             follow=True)
    shown = response.context.get("password") if response.context else None
    assert not signs_in(victim.national_id, shown or ""), "the unit signed in as the person"
    assert shown is None and unchanged(victim, email)
    assert response.status_code == 403
    assert signs_in(victim.national_id, PASSWORD)  # the owner still signs in as before


@pytest.mark.parametrize("who", VICTIMS)
def test_a_unit_that_adds_someone_cannot_mail_itself_a_reset_link(request, who, attacker, mailbox):
    victim = request.getfixturevalue(who)
    email = victim.email
    enrol(attacker, victim)
    edit = attacker.post(reverse("backoffice:volunteer_edit", args=[victim.pk]), {
        "name": victim.name, "birth_date": "070/05/20", "email": ATTACKER_MAIL})
    link = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "link"})
    assert mailbox.wait_for(1, timeout=0.5, to=ATTACKER_MAIL) == [], "a reset link went to the unit's address"
    assert unchanged(victim, email)
    assert (edit.status_code, link.status_code) == (403, 403)


@pytest.mark.parametrize("who", ["authority_clerk", "site_admin", "staff_flag_only"])
def test_staff_and_administrators_who_volunteer_in_a_unit_are_still_not_managed_by_it(
        request, who, attacker, unit_b, test_captcha, mailbox):
    """Even where the person really serves in unit B (an accepted membership), unit B never resets a
    staff member's or an administrator's sign-in: they reset through their own mail or authority."""
    victim = request.getfixturevalue(who)
    email = victim.email
    Membership.objects.create(volunteer=victim, unit=unit_b)
    temporary = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "temporary"})
    edit = attacker.post(reverse("backoffice:volunteer_edit", args=[victim.pk]), {
        "name": victim.name, "birth_date": "070/05/20", "email": ATTACKER_MAIL})
    link = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "link"})
    assert mailbox.wait_for(1, timeout=0.5, to=ATTACKER_MAIL) == [], "a reset link went to the unit's address"
    assert unchanged(victim, email) and not User.objects.filter(email=ATTACKER_MAIL).exists()
    assert (temporary.status_code, edit.status_code, link.status_code) == (403, 403, 403)


@pytest.mark.parametrize("who", VICTIMS)
def test_a_unit_cannot_take_over_an_account_through_the_volunteers_import(request, who, attacker, unit_b, settings,
                                                                          tmp_path, test_captcha, mailbox):
    """The spreadsheet import of volunteers with the victim's ID number and the unit's own address: the row
    becomes a join request the victim has not answered, the account keeps its data, and the unit still may
    neither give itself a password nor mail itself a reset link."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volnet.people.tests.test_import_volunteers import HEADER, person_row
    from volnet.records.tests.excel_files import xlsx

    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    victim = request.getfixturevalue(who)
    email = victim.email
    data = xlsx([person_row(victim.national_id, name="被冒用", email=ATTACKER_MAIL, phone="0911-111-111")], HEADER,
                title="志工資料")
    uploaded = attacker.post(reverse("backoffice:excel_upload"), {
        "unit": unit_b.pk, "kind": "volunteers", "file": SimpleUploadedFile("志工.xlsx", data)})
    token = uploaded["Location"].rstrip("/").split("/")[-1]
    done = attacker.post(reverse("backoffice:excel_confirm", args=[token]), follow=True)
    assert "已送出加入邀請" in done.content.decode()
    membership = Membership.objects.get(volunteer=victim, unit=unit_b)
    assert (membership.status, membership.created_account) == (Membership.Status.PENDING, False)

    temporary = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "temporary"})
    link = attacker.post(reverse("backoffice:volunteer_password", args=[victim.pk]), {"action": "link"})
    assert mailbox.wait_for(1, timeout=0.5, to=ATTACKER_MAIL) == [], "a mail went to the unit's address"
    assert unchanged(victim, email) and victim.name != "被冒用" and victim.phone != "0911-111-111"
    assert (temporary.status_code, link.status_code) == (403, 403)
    assert signs_in(victim.national_id, PASSWORD)
