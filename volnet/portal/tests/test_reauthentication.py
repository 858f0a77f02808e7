"""我的檔案: changing the e-mail, the phone or the password needs the current password (issue 11 item 6)."""

import pytest
from django.test import Client

from volnet.accounts.models import SignInEvent
from volnet.audit.models import AuditEntry
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal.tests.html import text

pytestmark = pytest.mark.django_db
URL = "/me/profile/"
CONTACT = {"phone": "0912-345-678", "address": "臺中市西屯區臺灣大道三段99號", "emergency_contact": "測試媽媽",
           "emergency_phone": "04-2222-3333", "email": "test.bear@example.tw"}


def test_a_hijacked_session_cannot_change_the_email_without_the_password(bear_client, bear, mailbox):
    response = bear_client.post(URL, {**CONTACT, "email": "thief@example.net"})
    assert response.status_code == 400
    assert "請輸入目前的密碼" in text(response.content)
    assert not mailbox.messages
    assert not AuditEntry.objects.filter(action="portal.email.change_requested").exists()


def test_a_hijacked_session_cannot_change_the_phone_without_the_password(bear_client, bear):
    response = bear_client.post(URL, {**CONTACT, "phone": "0999-999-999"})
    assert response.status_code == 400
    bear.refresh_from_db()
    assert bear.phone == "0912-345-678"


def test_the_right_password_lets_the_email_change_go_ahead(bear_client, bear, mailbox):
    response = bear_client.post(URL, {**CONTACT, "email": "new.bear@example.tw", "current_password": BEAR_PASSWORD})
    assert response.status_code == 302
    assert mailbox.wait_for(1, to="new.bear@example.tw")


def test_a_wrong_password_is_a_form_error_that_keeps_what_was_typed_but_the_password(bear_client, bear):
    response = bear_client.post(URL, {**CONTACT, "phone": "0999-999-999", "email": "new.bear@example.tw",
                                      "current_password": "Not-My-Password-1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "目前的密碼不正確" in text(response.content)
    assert 'value="0999-999-999"' in html and 'value="new.bear@example.tw"' in html
    assert "Not-My-Password-1" not in html
    bear.refresh_from_db()
    assert bear.phone == "0912-345-678" and bear.failed_logins == 1
    assert SignInEvent.objects.filter(user=bear, result="reauth_failed").exists()
    assert "變更資料時密碼錯誤" in text(bear_client.get("/accounts/sign-ins/").content)


def test_wrong_passwords_here_lock_the_account_like_failed_sign_ins(bear_client, bear, test_captcha):
    for _ in range(5):
        response = bear_client.post(URL, {**CONTACT, "phone": "0999-999-999", "current_password": "Guess-2026-x"})
    assert "已暫停登入 15 分鐘" in text(response.content)
    bear.refresh_from_db()
    assert bear.is_locked
    refused = bear_client.post(URL, {**CONTACT, "phone": "0999-999-999", "current_password": BEAR_PASSWORD})
    assert refused.status_code == 400 and "已暫停登入" in text(refused.content)
    bear.refresh_from_db()
    assert bear.phone == "0912-345-678"
    # one lockout: signing in elsewhere is refused too, with the right password
    elsewhere = Client()
    other = elsewhere.post("/accounts/login/", {"national_id": "E122333441", "password": BEAR_PASSWORD,
                                                "captcha": "PASSED", "captcha_key": "x"})
    assert "已暫停登入" in text(other.content) and "_auth_user_id" not in elsewhere.session


def test_failed_sign_ins_and_wrong_passwords_here_add_up(bear_client, bear, test_captcha):
    for _ in range(3):
        Client().post("/accounts/login/", {"national_id": "E122333441", "password": "Guess-2026-x",
                                           "captcha": "PASSED", "captcha_key": "x"})
    for _ in range(2):
        response = bear_client.post(URL, {**CONTACT, "phone": "0999-999-999", "current_password": "Guess-2026-y"})
    assert "已暫停登入" in text(response.content)


def test_address_and_emergency_contact_change_without_the_password(bear_client, bear):
    response = bear_client.post(URL, {**CONTACT, "address": "臺中市北區三民路三段1號", "emergency_contact": "測試爸爸",
                                      "emergency_phone": "0933-111-222"})
    assert response.status_code == 302
    bear.refresh_from_db()
    assert (bear.address, bear.emergency_contact, bear.emergency_phone) == (
        "臺中市北區三民路三段1號", "測試爸爸", "0933-111-222")
    assert bear.failed_logins == 0
