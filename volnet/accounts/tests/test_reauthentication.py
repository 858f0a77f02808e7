"""變更密碼 asks for the current password, and a wrong one counts toward the same lockout as sign-in."""

from conftest import PASSWORD
from volnet.accounts.models import SignInEvent

from .helpers import login_data, text

NEW = "Next-Pass-20261"


def change(client, current):
    return client.post("/accounts/password/change/", {"current_password": current, "password1": NEW,
                                                       "password2": NEW, "captcha": "PASSED", "captcha_key": "x"})


def test_wrong_current_passwords_lock_the_account_like_failed_sign_ins(client, volunteer, test_captcha):
    client.post("/accounts/login/", login_data())
    first = change(client, "Guess-2026-x")
    assert "目前的密碼不正確" in text(first) and NEW not in text(first)
    volunteer.refresh_from_db()
    assert volunteer.failed_logins == 1
    assert SignInEvent.objects.filter(user=volunteer, result="reauth_failed", site="portal").exists()
    for _ in range(4):
        response = change(client, "Guess-2026-x")
    assert "已暫停登入 15 分鐘" in text(response)
    refused = change(client, PASSWORD)
    assert "已暫停登入" in text(refused)
    volunteer.refresh_from_db()
    assert volunteer.is_locked and volunteer.check_password(PASSWORD)  # unchanged


def test_the_right_current_password_clears_the_count(client, volunteer, test_captcha):
    client.post("/accounts/login/", login_data())
    change(client, "Guess-2026-x")
    assert change(client, PASSWORD).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.failed_logins == 0 and volunteer.check_password(NEW)
