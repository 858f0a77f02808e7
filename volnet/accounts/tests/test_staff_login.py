import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from volnet.accounts.models import SignInEvent
from volnet.units.models import StaffRole

from .helpers import login_data, text


def code_for(device, steps_ahead=0):
    """What the staff member's phone shows (RFC 6238), `steps_ahead` 30-second steps later."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=steps_ahead):06d}"


def staff_login(client, user_id="B223456782", password=PASSWORD, **extra):
    return client.post("/accounts/staff/login/", {**login_data(user_id, password), **extra})


RECOVERY_CODE = re.compile(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>")


def enrol_with_codes(client):
    """Turn the authenticator on; returns the device and the recovery codes the page shows once."""
    client.post("/accounts/staff/security/", {"action": "start"})
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/accounts/staff/security/", {"action": "confirm", "code": code_for(device)})
    assert response.status_code == 200 and "兩步驟驗證已啟用" in text(response)
    device.refresh_from_db()
    assert device.confirmed
    return device, RECOVERY_CODE.findall(text(response))


def enrol(client):
    return enrol_with_codes(client)[0]


def test_the_footer_link_leads_anonymous_visitors_to_the_staff_login(client, db):
    assert 'href="/backoffice/"' in text(client.get("/"))
    html = text(client.get("/accounts/staff/login/"))
    assert "志工後台登入" in html and "使用語音播放驗證碼" in html


def test_staff_sign_in_lands_on_the_back_office(client, supervisor_a, test_captcha):
    response = staff_login(client)
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    event = SignInEvent.objects.get(user=supervisor_a, result="success")
    assert event.site == "backoffice"


def test_volunteers_cannot_pass_the_staff_login(client, volunteer, test_captcha):
    response = staff_login(client, "E122333441")
    assert response.status_code == 200 and "沒有志工後台權限" in text(response)
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=volunteer, result="not_staff", site="backoffice").exists()


def test_an_ended_staff_role_no_longer_passes(client, supervisor_a, test_captcha):
    StaffRole.objects.filter(user=supervisor_a).update(is_active=False)
    assert "沒有志工後台權限" in text(staff_login(client))


def test_the_same_lockout_applies(client, supervisor_a, test_captcha):
    for _ in range(5):
        response = staff_login(client, password="Wrong-Pass-2026x")
    assert "已暫停登入 15 分鐘" in text(response)
    assert "已暫停登入" in text(staff_login(client))


def test_the_same_captcha_applies(client, supervisor_a, settings):
    settings.TEST_CAPTCHA = False
    assert "驗證碼錯誤或已逾時" in text(staff_login(client, captcha="1234"))


def test_staff_enrol_totp_with_a_qr_code_and_a_manual_key(client, supervisor_a, test_captcha):
    staff_login(client)
    html = text(client.get("/accounts/staff/security/"))
    assert "開始設定兩步驟驗證" in html
    client.post("/accounts/staff/security/", {"action": "start"})
    html = text(client.get("/accounts/staff/security/"))
    assert "<svg" in html and "手動輸入金鑰" in html
    device = TOTPDevice.objects.get(user=supervisor_a)
    key = re.search(r'class="totp-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    right = code_for(device)
    wrong = client.post("/accounts/staff/security/",
                        {"action": "confirm", "code": "000000" if right != "000000" else "1" * 6})
    assert "數字不正確" in text(wrong)
    # right after a wrong code django-otp makes the next try wait (1 s, then 2, 4…)
    assert "請等 1 秒" in text(client.post("/accounts/staff/security/", {"action": "confirm", "code": right}))
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    client.post("/accounts/staff/security/", {"action": "confirm", "code": right})
    device.refresh_from_db()
    assert device.confirmed
    assert "已啟用" in text(client.get("/accounts/staff/security/"))


def test_with_totp_the_sign_in_asks_for_the_six_digits(client, supervisor_a, test_captcha):
    staff_login(client)
    device = enrol(client)
    client.post("/accounts/logout/")
    response = staff_login(client)
    assert response["Location"] == "/accounts/staff/login/code/"
    assert "_auth_user_id" not in client.session
    bad = client.post("/accounts/staff/login/code/", {"code": "12345x"})
    assert "請輸入 6 位數字" in text(bad)
    wrong = client.post("/accounts/staff/login/code/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "驗證碼不正確" in text(wrong)
    assert SignInEvent.objects.filter(user=supervisor_a, result="otp_failed").exists()
    device.refresh_from_db()
    device.throttle_reset()  # the phone user waits a second before the next try
    # the code of the next 30-second step (the enrolment used the current one)
    response = client.post("/accounts/staff/login/code/", {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == "/backoffice/"
    assert client.session["_auth_user_id"] == str(supervisor_a.pk)


def test_wrong_codes_count_toward_the_lock(client, supervisor_a, test_captcha):
    staff_login(client)
    device = enrol(client)
    client.post("/accounts/logout/")
    staff_login(client)
    right = code_for(device)
    for _ in range(5):
        device.refresh_from_db()
        device.throttle_reset()  # as if the person waited between tries
        response = client.post("/accounts/staff/login/code/", {"code": "000000" if right != "000000" else "111111"})
    assert response["Location"] == "/accounts/staff/login/"
    assert "已暫停登入" in text(client.get("/accounts/staff/login/"))
    supervisor_a.refresh_from_db()
    assert supervisor_a.is_locked


def test_the_code_step_needs_the_password_step_first(client, supervisor_a):
    response = client.get("/accounts/staff/login/code/")
    assert response["Location"] == "/accounts/staff/login/"


def test_removing_totp_needs_the_password_and_a_current_code(client, supervisor_a, test_captcha):
    staff_login(client)
    device = enrol(client)
    code = code_for(device, steps_ahead=1)  # the enrolment used the current step's code
    refused = client.post("/accounts/staff/security/", {"action": "remove", "password": "nope", "code": code})
    assert "目前的密碼不正確" in text(refused) and TOTPDevice.objects.filter(user=supervisor_a).exists()
    client.post("/accounts/staff/security/", {"action": "remove", "password": PASSWORD, "code": code})
    assert not TOTPDevice.objects.filter(user=supervisor_a).exists()


def test_the_security_page_is_for_staff_only(client, volunteer, test_captcha):
    assert client.get("/accounts/staff/security/")["Location"].startswith("/accounts/staff/login/")
    client.post("/accounts/login/", login_data())
    assert client.get("/accounts/staff/security/").status_code == 403


def test_the_qr_code_never_carries_the_full_id_number(client, supervisor_a, test_captcha):
    staff_login(client)
    client.post("/accounts/staff/security/", {"action": "start"})
    html = text(client.get("/accounts/staff/security/"))
    assert "B223456782" not in html
    assert not mail.outbox


@pytest.mark.parametrize("code", ["", "１２３４５６７", "abcdef", "1" * 10_000])
def test_odd_codes_get_a_chinese_message(client, supervisor_a, test_captcha, code):
    staff_login(client)
    enrol(client)
    client.post("/accounts/logout/")
    staff_login(client)
    response = client.post("/accounts/staff/login/code/", {"code": code})
    assert response.status_code == 200
    assert re.search(r"請輸入 6 位數字|驗證器數字最多 12 個字", text(response))
