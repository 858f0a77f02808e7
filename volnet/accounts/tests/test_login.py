import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from volnet.accounts.models import SignInEvent, User

from .helpers import captcha_key, login_data, solve, text

GENERIC = "帳號或密碼錯誤，請重新輸入。"


def post_login(client, **fields):
    return client.post("/accounts/login/", login_data(**fields), HTTP_USER_AGENT="Mozilla/5.0 (Test Phone)")


def test_the_page_follows_the_manual(client, db):
    html = text(client.get("/accounts/login/"))
    for words in ("會員登入", "帳號", "密碼", "驗證碼", "使用語音播放驗證碼", "忘記密碼", "加入會員",
                  "為防止個人資料外洩，確保資訊安全，杜絕詐騙事件"):
        assert words in html
    assert 'href="/accounts/password/forgot/"' in html and 'href="/accounts/sign-up/"' in html


def test_a_volunteer_signs_in_with_spaces_and_lower_case(client, volunteer, test_captcha):
    response = post_login(client, national_id="  e122333441 ")
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.session["_auth_user_id"] == str(volunteer.pk)


def test_it_goes_back_to_the_page_asked_for_but_never_off_site(client, volunteer, test_captcha):
    data = {**login_data(), "next": "/me/services/"}
    assert client.post("/accounts/login/", data)["Location"] == "/me/services/"
    client.logout()
    data = {**login_data(), "next": "https://evil.example/"}
    assert client.post("/accounts/login/", data)["Location"] == "/me/"


def test_a_wrong_password_and_an_unknown_id_get_the_same_message(client, volunteer, test_captcha):
    wrong_password = post_login(client, password="Not-The-Password-1")
    unknown = post_login(client, national_id="A123456789")
    assert GENERIC in text(wrong_password) and GENERIC in text(unknown)
    assert wrong_password.status_code == unknown.status_code == 200
    # the typed account stays in the form
    assert 'value="E122333441"' in text(wrong_password)


def test_five_failures_lock_the_account_for_fifteen_minutes(client, volunteer, test_captcha):
    for _ in range(4):
        assert GENERIC in text(post_login(client, password="Wrong-Password-99"))
    fifth = text(post_login(client, password="Wrong-Password-99"))
    assert "已暫停登入 15 分鐘" in fifth
    volunteer.refresh_from_db()
    assert volunteer.locked_until > timezone.now() + dt.timedelta(minutes=14)
    # even the right password is refused while locked, and says why
    locked = post_login(client)
    assert "已暫停登入 15 分鐘" in text(locked) and "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=volunteer, result="locked").count() == 1


def test_the_lock_ends_after_fifteen_minutes(client, volunteer, test_captcha, clock):
    for _ in range(5):
        post_login(client, password="Wrong-Password-99")
    clock.shift(dt.timedelta(minutes=15, seconds=5))
    response = post_login(client)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.failed_logins == 0 and volunteer.locked_until is None


def test_fourteen_minutes_later_it_is_still_locked(client, volunteer, test_captcha, clock):
    for _ in range(5):
        post_login(client, password="Wrong-Password-99")
    clock.shift(dt.timedelta(minutes=14))
    assert "已暫停登入" in text(post_login(client))


def test_a_success_clears_the_failure_count(client, volunteer, test_captcha):
    for _ in range(4):
        post_login(client, password="Wrong-Password-99")
    assert post_login(client).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.failed_logins == 0


def test_unknown_ids_lock_like_real_ones_so_the_lock_reveals_nothing(client, db, test_captcha):
    for _ in range(4):
        post_login(client, national_id="A123456789")
    assert "已暫停登入 15 分鐘" in text(post_login(client, national_id="A123456789"))


def test_many_failures_from_one_address_across_accounts_are_throttled(client, volunteer, test_captcha, settings):
    settings.VOLNET_RATE_SIGNIN_IP = "6/15m"
    others = ["A123456789", "B223456782", "F135792464", "A298765437", "B122334454", "E122333441"]
    for number in others:
        post_login(client, national_id=number, password="Guess-Password-1")
    response = post_login(client)  # the right password, but this address is spent
    assert response.status_code == 429
    assert "嘗試次數過多" in text(response)
    assert SignInEvent.objects.filter(result="throttled").exists()
    # another address is not affected
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/accounts/login/", login_data()).status_code == 302


GUESSED_IDS = ["A123456789", "B223456782", "F135792464", "A298765437", "B122334454", "E122333441"]


def test_a_made_up_forwarded_for_header_does_not_dodge_the_address_throttle(client, volunteer, test_captcha, settings):
    settings.VOLNET_RATE_SIGNIN_IP = "6/15m"  # no proxy in front (TRUSTED_PROXY_COUNT = 0, the default)
    for n, number in enumerate(GUESSED_IDS):
        client.post("/accounts/login/", login_data(number, "Guess-Password-1"), HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    response = client.post("/accounts/login/", login_data(), HTTP_X_FORWARDED_FOR="10.1.1.99")
    assert response.status_code == 429
    assert set(SignInEvent.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_one_proxy_the_address_the_proxy_saw_is_throttled_and_recorded(volunteer, test_captcha, settings):
    settings.VOLNET_RATE_SIGNIN_IP = "6/15m"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    guesser, neighbour = Client(**proxy), Client(**proxy)
    for n, number in enumerate(GUESSED_IDS):  # what the guesser writes is left of what the proxy adds
        guesser.post("/accounts/login/", login_data(number, "Guess-Password-1"),
                     HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, 198.51.100.7")
    assert guesser.post("/accounts/login/", login_data(),
                        HTTP_X_FORWARDED_FOR="10.1.1.99, 198.51.100.7").status_code == 429
    assert set(SignInEvent.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # another visitor behind the same proxy signs in
    assert neighbour.post("/accounts/login/", login_data(), HTTP_X_FORWARDED_FOR="203.0.113.40").status_code == 302
    assert SignInEvent.objects.filter(result="success").get().ip_address == "203.0.113.40"


def test_every_attempt_is_recorded_with_time_address_and_device(client, volunteer, test_captcha):
    post_login(client, password="Wrong-Password-99")
    post_login(client)
    events = list(SignInEvent.objects.filter(user=volunteer).order_by("at"))
    assert [e.result for e in events] == ["bad_credentials", "success"]
    assert all(e.ip_address == "127.0.0.1" and "Test Phone" in e.user_agent and e.site == "portal" for e in events)


def test_after_sign_in_it_mentions_failures_since_the_previous_one(client, volunteer, test_captcha):
    post_login(client)
    client.post("/accounts/logout/")
    post_login(client, password="Wrong-Password-99")
    post_login(client, password="Wrong-Password-98")
    response = client.post("/accounts/login/", login_data(), follow=True)
    assert "您的帳號有 2 次登入失敗" in text(response)
    client.post("/accounts/logout/")
    again = client.post("/accounts/login/", login_data(), follow=True)
    assert "登入失敗" not in text(again)


def test_the_real_captcha_must_be_read(client, volunteer, settings):
    settings.TEST_CAPTCHA = False
    page = client.get("/accounts/login/")
    answer = solve(client, page)
    wrong = "0000" if answer["captcha"] != "0000" else "1111"
    response = client.post("/accounts/login/", {**login_data(), "captcha_key": answer["captcha_key"], "captcha": wrong})
    assert "驗證碼錯誤或已逾時" in text(response)
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=volunteer, result="bad_captcha").exists()
    # the right answer of that (used) code does not work either
    reused = client.post("/accounts/login/", {**login_data(), **answer})
    assert "驗證碼錯誤或已逾時" in text(reused)
    # a new code read correctly does
    fresh = solve(client, reused)
    assert client.post("/accounts/login/", {**login_data(), **fresh}).status_code == 302


def test_a_correct_answer_works_only_once(client, volunteer, settings):
    settings.TEST_CAPTCHA = False
    page = client.get("/accounts/login/")
    answer = solve(client, page)
    assert client.post("/accounts/login/", {**login_data(), **answer}).status_code == 302
    client.post("/accounts/logout/")
    replay = client.post("/accounts/login/", {**login_data(), **answer})
    assert replay.status_code == 200 and "驗證碼錯誤或已逾時" in text(replay)


def test_a_wrong_captcha_does_not_count_toward_the_lock(client, volunteer, settings):
    settings.TEST_CAPTCHA = False
    for _ in range(6):
        client.post("/accounts/login/", login_data(captcha="9999x"))
    volunteer.refresh_from_db()
    assert volunteer.failed_logins == 0 and volunteer.locked_until is None


@pytest.mark.parametrize(
    ("national_id", "message"),
    [
        ("", "請輸入帳號"),
        ("A12345678", "應為 10 碼"),
        ("A123456788", "檢查碼不正確"),
        ("1123456789", "第 1 碼應為英文字母"),
        ("A" * 10_000, "最多 20 個字"),
        ("王小明😀\u200b\u202e", "應為 10 碼"),
        ("Ａ１２３４５６７８９", None),  # full-width: folded, valid
        ("A12345\x00789", "無法使用的字元"),
    ],
)
def test_bad_account_input_gets_a_chinese_message_and_keeps_the_form(client, volunteer, test_captcha, national_id,
                                                                     message):
    response = client.post("/accounts/login/", login_data(national_id=national_id, password="x"))
    assert response.status_code == 200
    html = text(response)
    if message:
        assert message in html
    else:
        assert GENERIC in html
    assert "captcha_key" in html  # the form is there again, with a fresh captcha


def test_a_missing_password_and_captcha_are_named(client, db):
    response = client.post("/accounts/login/", {"national_id": "E122333441"})
    html = text(response)
    assert response.status_code == 200
    assert "請輸入密碼" in html and "請輸入驗證碼" in html and 'value="E122333441"' in html


def test_a_10k_character_password_is_refused_politely(client, volunteer, test_captcha):
    response = post_login(client, password="Aa1" * 3400)
    assert response.status_code == 200 and "密碼最多 128 個字" in text(response)


def test_a_post_without_csrf_token_gets_the_chinese_expiry_page(db, volunteer):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", login_data())
    assert response.status_code == 403
    assert "頁面已逾時" in text(response)


def test_the_login_page_sets_no_unsafe_cache(client, db):
    response = client.get("/accounts/login/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    captcha_key(response)


def test_an_inactive_account_is_told_after_the_right_password_only(client, volunteer, test_captcha):
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    assert GENERIC in text(post_login(client, password="Wrong-Password-99"))
    assert "此帳號已停用" in text(post_login(client))


def test_logout_is_post_only_and_recorded(client, volunteer, test_captcha):
    post_login(client)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=volunteer, result="logout").exists()


def test_a_session_ends_after_thirty_idle_minutes(client, volunteer, test_captcha):
    post_login(client)
    assert client.session.get_expiry_age() == 30 * 60
    assert client.get("/accounts/sign-ins/").status_code == 200
    # the expiry moves with every request (idle, not absolute)
    from django.conf import settings

    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_are_hashed_with_argon2(volunteer):
    assert volunteer.password.startswith("argon2")
    assert PASSWORD not in volunteer.password
