"""Sign-up squatting: someone signs up (加入會員) with another person's ID number and their own e-mail address.
The pending sign-up must never block the real person, never receive their reset link, and never become a
way into an account that is really in use."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from volnet.accounts.models import User
from volnet.audit.models import AuditEntry

from .helpers import login_data, text

VICTIM_ID = "A123456789"
SQUATTER_PASSWORD = "Squatter-Pass-2026"
REAL_PASSWORD = "Real-Person-2026"
NO_EMAIL = "志工後台未設定您的電子信箱"


def sign_up(client, *, email, password, name="王小明", birth="79/01/01", national_id=VICTIM_ID):
    return client.post("/accounts/sign-up/", {
        "national_id": national_id, "name": name, "birth_date": birth, "email": email, "phone": "0912345678",
        "password1": password, "password2": password, "captcha": "PASSED", "captcha_key": "x",
    })


def link_in(message):
    return re.search(r"https?://[^/\s]+(/accounts/sign-up/verify/\S+/)", message.body).group(1)


def forgot(client, national_id=VICTIM_ID, birth="79/01/01"):
    return client.post("/accounts/password/forgot/", {
        "national_id": national_id, "birth_date": birth, "captcha": "PASSED", "captcha_key": "x"})


def test_signing_up_again_releases_a_squatters_pending_sign_up_and_kills_its_link(db, test_captcha):
    squatter, person = Client(), Client()
    sign_up(squatter, email="squatter@example.net", password=SQUATTER_PASSWORD, name="冒名者")
    squatters_link = link_in(mail.outbox[-1])

    response = sign_up(person, email="ming@example.tw", password=REAL_PASSWORD)
    assert response.status_code == 200 and "m***@example.tw" in text(response) and "已有帳號" not in text(response)
    assert mail.outbox[-1].to == ["ming@example.tw"]
    persons_link = link_in(mail.outbox[-1])
    account = User.objects.get(national_id=VICTIM_ID)
    assert (account.name, account.email, account.signup_pending) == ("王小明", "ming@example.tw", True)
    replaced = AuditEntry.objects.get(action="accounts.signup.replaced")
    assert replaced.volunteer == account and replaced.changes == {"電子信箱": ["s***@example.net", "m***@example.tw"]}

    # the squatter's link is dead, and so is the squatter's password
    dead = squatter.get(squatters_link)
    assert dead.status_code == 400 and "驗證連結無效" in text(dead)
    assert User.objects.get(national_id=VICTIM_ID).signup_pending
    assert squatter.post("/accounts/login/", login_data(VICTIM_ID, SQUATTER_PASSWORD)).status_code == 200
    # the real person verifies and signs in
    assert person.get(persons_link)["Location"] == "/accounts/login/"
    assert person.post("/accounts/login/", login_data(VICTIM_ID, REAL_PASSWORD)).status_code == 302


def test_a_second_sign_up_with_the_same_address_kills_the_first_link_too(db, test_captcha):
    client = Client()
    sign_up(client, email="ming@example.tw", password=REAL_PASSWORD)
    first = link_in(mail.outbox[-1])
    sign_up(client, email="ming@example.tw", password="Second-Try-Pass-2026")
    second = link_in(mail.outbox[-1])
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 302
    assert client.post("/accounts/login/", login_data(VICTIM_ID, "Second-Try-Pass-2026")).status_code == 302


def test_forgot_password_never_mails_a_squatters_unverified_address(db, other_volunteer, test_captcha):
    # The squatter even knows the victim's birth date.
    sign_up(Client(), email="squatter@example.net", password=SQUATTER_PASSWORD)
    mail.outbox.clear()
    pending = text(forgot(Client()))
    assert mail.outbox == []
    assert "squatter" not in pending and "s***@example.net" not in pending
    # the same neutral answer as an account with no address at all: verify, or ask the 志工督導
    no_email = text(forgot(Client(), national_id=other_volunteer.national_id, birth="60/01/15"))
    assert NO_EMAIL in pending and NO_EMAIL in no_email
    notice = re.compile(r'<div class="notice[^"]*" role="status">.*?</div>', re.S)
    assert notice.search(pending).group(0) == notice.search(no_email).group(0)
    assert "驗證信" in notice.search(pending).group(0) and "志工督導" in notice.search(pending).group(0)


def _used_by_a_person(volunteer):
    User.objects.filter(pk=volunteer.pk).update(last_login=timezone.now())


def _created_by_a_unit(volunteer):
    """As 新增志工 leaves it: a temporary password, never signed in, the address never proven."""
    User.objects.filter(pk=volunteer.pk).update(last_login=None, email_verified_at=None, must_change_password=True)


def _verified_address(volunteer):
    User.objects.filter(pk=volunteer.pk).update(last_login=None, email_verified_at=timezone.now())


def _pending_but_signed_in_once(volunteer):
    User.objects.filter(pk=volunteer.pk).update(signup_pending=True, last_login=timezone.now())


def _pending_but_address_verified(volunteer):
    User.objects.filter(pk=volunteer.pk).update(signup_pending=True, last_login=None,
                                                email_verified_at=timezone.now())


@pytest.mark.parametrize("state", [_used_by_a_person, _created_by_a_unit, _verified_address,
                                   _pending_but_signed_in_once, _pending_but_address_verified])
def test_a_sign_up_never_takes_over_an_account_in_use(volunteer, test_captcha, state):
    state(volunteer)
    before = User.objects.values().get(pk=volunteer.pk)
    response = sign_up(Client(), national_id=volunteer.national_id, email="squatter@example.net",
                       password=SQUATTER_PASSWORD, birth="70/05/20")
    assert "已有帳號" in text(response)
    assert User.objects.values().get(pk=volunteer.pk) == before
    assert mail.outbox == []


def test_the_release_keeps_what_units_recorded_for_the_id_number(volunteer, unit_a, service_record, test_captcha):
    """A unit may have enrolled a pending sign-up by its ID number; the records belong to the person with that
    number, so a fresh sign-up takes over the same account rather than deleting it."""
    User.objects.filter(pk=volunteer.pk).update(signup_pending=True, email="squatter@example.net",
                                                email_verified_at=None, last_login=None)
    service_record(hours="3")
    sign_up(Client(), national_id=volunteer.national_id, email="bear2@example.tw", password=REAL_PASSWORD,
            name="測試熊", birth="70/05/20")
    account = User.objects.get(national_id=volunteer.national_id)
    assert account.pk == volunteer.pk and account.email == "bear2@example.tw"
    assert account.services.count() == 1 and account.memberships.count() == 1


def test_only_a_pending_self_sign_up_nobody_has_proven_counts_as_unverified(volunteer):
    pending = User.objects.create_user(VICTIM_ID, PASSWORD, name="王小明", email="m@example.tw", signup_pending=True)
    assert pending.is_unverified_sign_up and not volunteer.is_unverified_sign_up
    assert list(User.objects.unverified_sign_ups()) == [pending]
    assert list(User.objects.filter(name="王小明").unverified_sign_ups()) == [pending]
    now = timezone.now()
    for proven in ({"email_verified_at": now}, {"last_login": now}, {"signup_pending": False}):
        User.objects.filter(pk=pending.pk).update(**proven)
        pending.refresh_from_db()
        assert not pending.is_unverified_sign_up and not User.objects.unverified_sign_ups().exists(), proven
        User.objects.filter(pk=pending.pk).update(signup_pending=True, email_verified_at=None, last_login=None)
