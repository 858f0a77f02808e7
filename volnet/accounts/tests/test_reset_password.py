import re

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from volnet.accounts import services
from volnet.accounts.models import PasswordHistory, User

from .helpers import login_data, text

NEW = "Brand-New-Pass-2026"


def mailed_link(client):
    client.post(
        "/accounts/password/forgot/",
        {"national_id": "E122333441", "birth_date": "70/05/20", "captcha": "PASSED", "captcha_key": "x"},
    )
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)


def set_password(client, first=NEW, second=None):
    return client.post(
        "/accounts/password/reset/",
        {"password1": first, "password2": second or first, "captcha": "PASSED", "captcha_key": "x"},
    )


@pytest.fixture
def link(client, volunteer, test_captcha):
    return mailed_link(client)


def test_the_link_opens_the_b2_page_and_leaves_the_address_bar(client, link):
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/"
    html = text(client.get("/accounts/password/reset/"))
    for words in ("重置密碼", "密碼", "再次輸入密碼", "驗證碼", "1.密碼最短長度：12", "2.包含數字", "3.包含小寫字母",
                  "4.包含大寫字母", "確定重置密碼"):
        assert words in html
    assert 'aria-live="polite"' in html and "accounts/password-rules.js" in html


def test_a_reset_goes_to_the_login_page_with_the_b3_message(client, link, volunteer):
    client.get(link)
    response = set_password(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "密碼已重新設定完成，請以新密碼登入" in text(client.get("/accounts/login/"))
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW)
    assert client.post("/accounts/login/", login_data(password=NEW)).status_code == 302


def test_the_link_works_once(client, link):
    client.get(link)
    set_password(client)
    replay = Client().get(link)
    assert replay.status_code == 400 and "重置密碼連結已失效" in text(replay)


def test_an_expired_link_is_refused(client, volunteer, test_captcha):
    gen = services.reset_tokens
    thirty_one_minutes_ago = gen._num_seconds(gen._now()) - 31 * 60
    token = gen._make_token_with_timestamp(volunteer, thirty_one_minutes_ago, gen.secret)
    uid = services.urlsafe_base64_encode(str(volunteer.pk).encode())
    assert client.get(f"/accounts/password/reset/{uid}/{token}/").status_code == 400
    fresh_enough = gen._make_token_with_timestamp(volunteer, thirty_one_minutes_ago + 120, gen.secret)
    assert client.get(f"/accounts/password/reset/{uid}/{fresh_enough}/").status_code == 302


def test_signing_in_voids_an_earlier_link(client, link, volunteer):
    Client().post("/accounts/login/", login_data())
    assert client.get(link).status_code == 400


def test_the_link_is_void_once_the_password_changed_another_way(client, link, volunteer):
    services.change_password(volunteer, "Changed-Elsewhere-77")
    assert client.get(link).status_code == 400


def test_the_link_is_void_after_it_was_opened_and_the_password_changed_meanwhile(client, link, volunteer):
    client.get(link)
    services.change_password(User.objects.get(pk=volunteer.pk), "Changed-Elsewhere-77")
    response = set_password(client)
    assert response.status_code == 400 and "重置密碼連結已失效" in text(response)


def test_forged_links_are_refused(client, volunteer):
    for path in ("/accounts/password/reset/MQ/abc-def/", "/accounts/password/reset/%%%/x/",
                 "/accounts/password/reset/" + "A" * 500 + "/x-y/"):
        assert client.get(path).status_code in (400, 404)
    assert client.get("/accounts/password/reset/").status_code == 400


def test_every_other_session_ends_after_a_reset(client, volunteer, test_captcha):
    elsewhere = Client()
    elsewhere.post("/accounts/login/", login_data())
    assert elsewhere.get("/accounts/sign-ins/").status_code == 200
    client.get(mailed_link(client))
    set_password(client)
    assert elsewhere.get("/accounts/sign-ins/").status_code == 302  # back to login


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "太短"),
        ("alllowercase123", "包含大寫字母"),
        ("ALLUPPERCASE123", "包含小寫字母"),
        ("NoDigitsHereAtAll", "包含數字"),
        ("Xe122333441abc", "不可包含身分證號碼"),
        ("Born-19810520-x", "不可包含出生年月日"),
        ("Born-70/05/20-xY", "不可包含出生年月日"),
        ("Password1234", "太常見"),
    ],
)
def test_the_policy_is_enforced_on_the_server(client, link, password, message):
    client.get(link)
    response = set_password(client, password)
    assert response.status_code == 200 and message in text(response)


def test_the_last_three_passwords_cannot_come_back(volunteer):
    services.change_password(volunteer, "Second-Pass-2026")
    services.change_password(volunteer, "Third-Pass-2026x")
    for old in (PASSWORD, "Second-Pass-2026", "Third-Pass-2026x"):
        with pytest.raises(services.AccountError, match="最近 3 次"):
            services.change_password(volunteer, old)
    services.change_password(volunteer, "Fourth-Pass-2026")
    # the original password is now four changes back: allowed again
    services.change_password(volunteer, PASSWORD)
    assert PasswordHistory.objects.filter(user=volunteer).count() == 4


def test_the_two_passwords_must_match_and_the_form_stays(client, link):
    client.get(link)
    response = set_password(client, NEW, NEW + "x")
    assert "兩次輸入的密碼不一致" in text(response)


def test_a_reset_unlocks_a_locked_account(client, link, volunteer):
    from django.utils import timezone

    User.objects.filter(pk=volunteer.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    client.get(link)
    set_password(client)
    volunteer.refresh_from_db()
    assert volunteer.locked_until is None


def test_the_reset_needs_the_captcha(client, link, settings):
    settings.TEST_CAPTCHA = False
    client.get(link)
    response = set_password(client)
    assert response.status_code == 200 and "驗證碼錯誤或已逾時" in text(response)
