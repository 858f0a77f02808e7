"""The owner hears of every change to how they sign in (ASVS 2.2.3, 2.5.5): a mail to the address on file
when the password or the second factor changes. (A unit's own changes are mailed by people.services.)"""

import pytest
from django.core import mail

from conftest import PASSWORD
from volnet.accounts import services

from .helpers import login_data
from .test_staff_login import enrol_with_codes, staff_login

SECURITY = "/accounts/staff/security/"
NEW = "Next-Pass-20261"


def notices(to):
    return [m for m in mail.outbox if m.to == [to] and "帳號安全設定已變更" in m.subject]


def test_turning_off_the_second_factor_with_a_stolen_recovery_code_is_mailed_to_the_owner(
        client, supervisor_a, test_captcha):
    """Attack: someone holding the password and the printed recovery codes turns the second factor off.
    Before the fix the owner was never told outside 登入訊息 (this test failed: no mail)."""
    staff_login(client)
    _device, codes = enrol_with_codes(client)
    mail.outbox.clear()
    client.post(SECURITY, {"action": "remove", "password": PASSWORD, "code": codes[0]})
    [notice] = notices(supervisor_a.email)
    assert "您的兩步驟驗證已停用" in notice.body and "如果這不是您本人的操作" in notice.body
    assert codes[0] not in notice.body and PASSWORD not in notice.body  # nothing secret in it


def test_turning_the_second_factor_on_and_new_recovery_codes_are_mailed(client, supervisor_a, test_captcha):
    staff_login(client)
    mail.outbox.clear()
    device, codes = enrol_with_codes(client)
    assert "您已啟用兩步驟驗證" in notices(supervisor_a.email)[0].body
    assert not any(code in notices(supervisor_a.email)[0].body for code in codes)


def test_a_password_change_is_mailed_to_the_owner(client, volunteer, test_captcha):
    """Before the fix a changed password went unmentioned (this test failed: no mail)."""
    client.post("/accounts/login/", login_data())
    mail.outbox.clear()
    response = client.post("/accounts/password/change/", {"current_password": PASSWORD, "password1": NEW,
                                                          "password2": NEW, "captcha": "PASSED", "captcha_key": "x"})
    assert response.status_code == 302
    [notice] = notices("bear@example.tw")
    assert "您的密碼已變更" in notice.body and NEW not in notice.body
    assert "html" in notice.alternatives[0][1]


def test_a_password_set_through_a_reset_link_is_mailed_too(volunteer):
    mail.outbox.clear()
    services.finish_reset(None, volunteer, NEW)
    assert len(notices("bear@example.tw")) == 1


def test_an_unverified_sign_up_gets_no_notice(volunteer):
    volunteer.signup_pending = True
    volunteer.last_login = None
    volunteer.save()
    mail.outbox.clear()
    services.change_password(volunteer, NEW)
    assert not notices("bear@example.tw")


def test_a_mail_server_that_does_not_answer_does_not_stop_the_change(volunteer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    services.change_password(volunteer, NEW)
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW)


@pytest.mark.parametrize("change", sorted(services.SECURITY_CHANGES))
def test_every_notice_reads_in_english_too(volunteer, change, settings):
    from django.utils import translation

    mail.outbox.clear()
    with translation.override("en"):
        services.notify_security_change(volunteer, change)
    [message] = mail.outbox
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message.subject + message.body.replace(volunteer.name, ""))
