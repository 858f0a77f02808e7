"""Half-open sessions (ASVS 3.2.1, 3.7): a session key an attacker planted in the victim's browser before a
step that binds the session to the victim (a reset link opened, the password step of the staff sign-in)
must be worth nothing to the attacker after it."""

from django.conf import settings
from django.test import Client

from conftest import PASSWORD

from .test_reset_password import NEW, mailed_link, set_password


def _planted(attacker):
    """The attacker opens a session and plants its key in the victim's browser (a cookie set through a
    sibling subdomain or plain HTTP); returns the victim's browser."""
    attacker.get("/accounts/login/")
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = attacker.cookies[settings.SESSION_COOKIE_NAME].value
    return victim


def test_a_planted_session_cannot_finish_the_victims_password_reset(client, volunteer, test_captcha):
    """Attack: the victim opens their reset link in a browser carrying the attacker's session key; the
    attacker then sets the victim's password through that key. Before the fix the reset token went into
    the planted session and the attacker's request set the password (this test failed: 302, changed)."""
    link = mailed_link(Client())
    victim = _planted(client)
    assert victim.get(link)["Location"] == "/accounts/password/reset/"
    response = set_password(client, "Attacker-Chose-2026")  # the attacker, with the planted key
    assert response.status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)
    assert set_password(victim).status_code == 302  # the victim's own browser goes on
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW)


def test_a_planted_session_cannot_take_the_second_factor_step(client, supervisor_a, test_captcha):
    """Attack: the staff member gives the password in a browser carrying the attacker's key; the attacker
    then sits at the code step with that key (to guess codes or lock the account). Before the fix the key
    stayed the same (this test failed: the attacker saw the code form)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    victim = _planted(client)
    step = victim.post("/accounts/staff/login/", {"national_id": "B223456782", "password": PASSWORD,
                                                  "captcha": "PASSED", "captcha_key": "x"})
    assert step["Location"] == "/accounts/staff/login/code/"
    attacker = client.get("/accounts/staff/login/code/")
    assert attacker.status_code == 302 and attacker["Location"] == "/accounts/staff/login/"
    assert victim.get("/accounts/staff/login/code/").status_code == 200
