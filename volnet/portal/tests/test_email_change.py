"""A new email takes effect only after the link mailed to it is followed (and confirmed)."""

import datetime as dt
import re

import pytest

from volnet.accounts import profile as account_profile
from volnet.audit.models import AuditEntry
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal.tests.html import text

pytestmark = pytest.mark.django_db


def _request_change(client, email="new.bear@example.tw"):
    return client.post("/me/profile/", {"phone": "0912-345-678", "address": "臺中市西屯區臺灣大道三段99號",
                                        "emergency_contact": "測試媽媽", "emergency_phone": "04-2222-3333",
                                        "email": email, "current_password": BEAR_PASSWORD})


def _link(message):
    plain = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://\S+", plain).group(0)


def test_a_new_email_waits_for_its_verification_link(bear_client, bear, mailbox, settings,
                                                   django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://volnet.test"
    response = _request_change(bear_client)
    assert response.status_code == 302
    bear.refresh_from_db()
    assert bear.email == "test.bear@example.tw"  # unchanged until the link is followed
    [message] = mailbox.wait_for(1, to="new.bear@example.tw")
    assert message["Subject"].strip() == "【志願服務資訊網】請驗證您的新電子信箱"
    html = message.get_body(preferencelist=("html",)).get_content()
    link = _link(message)
    assert link.startswith("http://volnet.test/me/profile/email/") and link in html
    assert "新的電子信箱 new.bear@example.tw 尚待驗證" in text(bear_client.get("/me/profile/").content)

    path = link.removeprefix("http://volnet.test")
    confirm = bear_client.get(path)
    assert "確認將您的電子信箱變更為： new.bear@example.tw" in text(confirm.content)
    bear.refresh_from_db()
    assert bear.email == "test.bear@example.tw"  # a GET (a mail scanner) changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        assert bear_client.post(path).status_code == 302
    bear.refresh_from_db()
    assert bear.email == "new.bear@example.tw" and bear.email_verified_at is not None
    assert AuditEntry.objects.filter(action="portal.email.changed", volunteer=bear).exists()
    [notice] = mailbox.wait_for(1, to="test.bear@example.tw")
    assert "已變更為 new.bear@example.tw" in notice.get_body(preferencelist=("plain",)).get_content()

    again = bear_client.post(path)  # the link works once
    assert again.status_code == 400 and "已經使用過" in text(again.content)


def test_a_link_older_than_a_day_is_refused(bear_client, bear, clock):
    clock.shift(-dt.timedelta(seconds=account_profile.EMAIL_CHANGE_MAX_AGE + 60))
    token = account_profile.email_change_token(bear, "late@example.tw")  # signed a day and a minute ago
    clock.shift(dt.timedelta(seconds=account_profile.EMAIL_CHANGE_MAX_AGE + 60))
    response = bear_client.get(f"/me/profile/email/{token}/")
    assert response.status_code == 400
    assert "已超過 24 小時" in text(response.content)


def test_a_tampered_link_is_refused(bear_client, bear):
    token = account_profile.email_change_token(bear, "evil@example.tw")
    response = bear_client.post(f"/me/profile/email/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "驗證連結不正確" in text(response.content)
    bear.refresh_from_db()
    assert bear.email == "test.bear@example.tw"


def test_another_persons_link_does_nothing_for_me(volunteer_client, volunteer, other_volunteer):
    token = account_profile.email_change_token(other_volunteer, "takeover@example.tw")
    response = volunteer_client.post(f"/me/profile/email/{token}/")
    assert response.status_code == 400
    assert "不屬於目前登入的帳號" in text(response.content)
    volunteer.refresh_from_db()
    other_volunteer.refresh_from_db()
    assert (volunteer.email, other_volunteer.email) == ("bear@example.tw", "")


def test_a_newer_request_replaces_an_older_link(bear_client, bear):
    first = account_profile.email_change_token(bear, "first@example.tw")
    second = account_profile.email_change_token(bear, "second@example.tw")
    assert bear_client.post(f"/me/profile/email/{second}/").status_code == 302
    assert "已經使用過" in text(bear_client.post(f"/me/profile/email/{first}/").content)
    bear.refresh_from_db()
    assert bear.email == "second@example.tw"


def test_following_the_link_needs_signing_in(client, bear):
    token = account_profile.email_change_token(bear, "new@example.tw")
    response = client.get(f"/me/profile/email/{token}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_too_many_verification_mails_are_refused(bear_client, bear, mailbox):
    for i in range(5):
        assert _request_change(bear_client, f"try{i}@example.tw").status_code == 302
    response = _request_change(bear_client, "try5@example.tw")
    assert response.status_code == 429
    assert "驗證信寄送次數過多" in text(response.content)
