"""Attacks on the staff second factor, each refused (each failed before the fix)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD

from .helpers import login_data, text
from .test_staff_login import enrol, staff_login


def test_a_session_without_the_second_factor_cannot_remove_totp_with_the_password(client, supervisor_a, test_captcha):
    staff_login(client)
    enrol(client)
    client.post("/accounts/logout/")
    # The thief knows the password and signs in on the volunteers' login: the second factor is skipped.
    client.post("/accounts/login/", login_data("B223456782"))
    assert client.session["_auth_user_id"] == str(supervisor_a.pk)
    response = client.post("/accounts/staff/security/", {"action": "remove", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/staff/login/")
    assert TOTPDevice.objects.filter(user=supervisor_a, confirmed=True).exists()


def test_even_a_verified_session_cannot_remove_totp_with_the_password_only(client, supervisor_a, test_captcha):
    staff_login(client)
    enrol(client)
    response = client.post("/accounts/staff/security/", {"action": "remove", "password": PASSWORD})
    assert response.status_code == 200 and "請輸入 6 位數字或一組備用碼" in text(response)
    assert TOTPDevice.objects.filter(user=supervisor_a, confirmed=True).exists()


def test_the_security_page_is_closed_to_a_session_that_skipped_the_second_factor(client, supervisor_a, test_captcha):
    staff_login(client)
    enrol(client)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", login_data("B223456782"))
    response = client.get("/accounts/staff/security/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/login/?next=/accounts/staff/security/"
