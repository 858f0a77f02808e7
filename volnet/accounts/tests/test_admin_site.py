"""/admin/ only through the staff sign-in (captcha, lockout, throttle, second factor, sign-in record),
for system administrators (superusers) only."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_person
from volnet.accounts.models import SignInEvent, User

from .helpers import login_data, text
from .test_staff_login import code_for, enrol_with_codes, staff_login

ADMIN_ID = "A123456789"


def test_password_guessing_through_admin_login_never_reaches_a_password_check(client, admin_user):
    response = client.post("/admin/login/?next=/admin/", {"username": "A123456789", "password": PASSWORD})
    # the right password, without captcha: not signed in, sent to the staff sign-in
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response["Location"] == "/accounts/staff/login/?next=/admin/"
    for _ in range(30):
        guess = client.post("/admin/login/", {"username": "A123456789", "password": "Guess-123456"})
        assert guess["Location"] == "/accounts/staff/login/?next=/admin/"  # never a password form's answer
    assert "_auth_user_id" not in client.session
    assert not User.objects.get(pk=admin_user.pk).is_locked  # and the guesses lock nobody out


def test_the_admin_login_form_is_gone(client, db):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/login/?next=/admin/accounts/user/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/accounts/staff/login/?next=/admin/"


def test_a_stranger_at_admin_is_sent_to_the_staff_sign_in(client, db):
    response = client.get("/admin/accounts/user/")
    assert response["Location"] == "/accounts/staff/login/?next=/admin/accounts/user/"


def test_admin_sign_in_goes_through_the_captcha_and_the_lockout(client, admin_user, settings):
    settings.TEST_CAPTCHA = False
    assert "驗證碼錯誤或已逾時" in text(staff_login(client, ADMIN_ID, captcha="1234"))
    settings.TEST_CAPTCHA = True
    for _ in range(5):
        response = staff_login(client, ADMIN_ID, password="Wrong-Pass-2026x")
    assert "已暫停登入" in text(response)
    assert "已暫停登入" in text(staff_login(client, ADMIN_ID))  # even the right password now
    assert "_auth_user_id" not in client.session


def test_a_superuser_signs_in_through_the_staff_sign_in_and_reaches_admin(client, admin_user, test_captcha):
    response = staff_login(client, ADMIN_ID)
    assert response["Location"] == "/admin/"  # no staff role: the admin is where they work
    assert SignInEvent.objects.filter(user=admin_user, result="success", site="backoffice").exists()
    enrol_with_codes(client)  # the second factor first (the next test), in this session
    assert client.get("/admin/").status_code == 200


def test_the_password_alone_never_opens_admin(client, admin_user, test_captcha):
    """Attack: a superuser's guessed or stolen password (ASVS 4.3.1: an administrative interface needs a
    second factor). Before the fix a superuser who had not set up the second factor reached every admin page
    with the password only (this test failed: 200)."""
    staff_login(client, ADMIN_ID)
    for url in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin_user.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/staff/security/", url
    page = text(client.get("/accounts/staff/security/"))
    assert "進入系統管理之前，請先設定兩步驟驗證" in page and "開始設定兩步驟驗證" in page
    device, _codes = enrol_with_codes(client)
    assert client.get("/admin/accounts/user/").status_code == 200
    # From now on the sign-in asks for the code, and /admin/ needs a session that gave it.
    client.post("/accounts/logout/")
    assert staff_login(client, ADMIN_ID)["Location"] == "/accounts/staff/login/code/"
    assert client.get("/admin/")["Location"] == "/accounts/staff/login/?next=/admin/"


def test_a_superuser_with_totp_needs_the_code_for_admin(client, admin_user, test_captcha):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    # The volunteers' login asks for the password only: admin sends them to the staff sign-in.
    client.post("/accounts/login/", login_data(ADMIN_ID))
    assert client.get("/admin/")["Location"] == "/accounts/staff/login/?next=/admin/"
    response = staff_login(client, ADMIN_ID, next="/admin/accounts/user/")
    assert response["Location"] == "/accounts/staff/login/code/"
    response = client.post("/accounts/staff/login/code/", {"code": code_for(device)})
    assert response["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_superuser_can_set_up_two_factor(client, admin_user, test_captcha):
    staff_login(client, ADMIN_ID)
    client.post("/accounts/staff/security/", {"action": "start"})
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=False).exists()


def test_is_staff_alone_does_not_open_admin(client, unit_a):
    clerk = make_person("B122334454", "系統承辦", is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403


def test_a_supervisor_does_not_reach_admin(client, supervisor_a, test_captcha):
    staff_login(client)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/login/")["Location"].startswith("/accounts/staff/login/")


def test_signing_out_of_admin_is_recorded(admin_client, admin_user):
    client = admin_client
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=admin_user, result="logout").exists()


def test_the_admin_password_change_is_the_sites_own(admin_client):
    assert admin_client.get("/admin/password_change/")["Location"] == "/accounts/password/change/"
