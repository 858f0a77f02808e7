import pytest
from django.core import mail

from volnet.accounts import services
from volnet.accounts.passwords import rule_results
from volnet.audit.models import AuditEntry

from .helpers import login_data, text


def test_a_temporary_password_meets_the_policy_and_must_be_changed(volunteer, supervisor_a):
    password = services.set_temporary_password(volunteer, supervisor_a)
    assert all(rule_results(password).values())
    volunteer.refresh_from_db()
    assert volunteer.must_change_password and volunteer.check_password(password)
    assert AuditEntry.objects.filter(action="accounts.password.temporary", actor=supervisor_a,
                                     volunteer=volunteer).exists()


def test_temporary_passwords_differ_each_time(volunteer, supervisor_a):
    assert len({services.set_temporary_password(volunteer, supervisor_a) for _ in range(3)}) == 3


def test_after_a_temporary_password_the_change_page_comes_first(client, volunteer, supervisor_a, test_captcha):
    password = services.set_temporary_password(volunteer, supervisor_a)
    response = client.post("/accounts/login/", {**login_data(password=password), "next": "/me/services/"})
    assert response["Location"] == "/accounts/password/change-required/"
    # every other page sends them back
    for path in ("/me/", "/accounts/sign-ins/", "/me/services/"):
        assert client.get(path)["Location"] == "/accounts/password/change-required/"
    html = text(client.get("/accounts/password/change-required/"))
    assert "臨時密碼" in html and "確定重置密碼" in html
    # logout stays possible
    assert client.post("/accounts/logout/").status_code == 302


def test_the_forced_change_keeps_the_session_and_goes_on(client, volunteer, supervisor_a, test_captcha):
    password = services.set_temporary_password(volunteer, supervisor_a)
    client.post("/accounts/login/", {**login_data(password=password), "next": "/accounts/sign-ins/"})
    response = client.post(
        "/accounts/password/change-required/",
        {"password1": "My-Own-Pass-2026", "password2": "My-Own-Pass-2026", "captcha": "PASSED", "captcha_key": "x"},
    )
    assert response["Location"] == "/accounts/sign-ins/"
    assert client.get("/accounts/sign-ins/").status_code == 200
    volunteer.refresh_from_db()
    assert not volunteer.must_change_password


def test_the_forced_change_refuses_the_temporary_password_itself(client, volunteer, supervisor_a, test_captcha):
    password = services.set_temporary_password(volunteer, supervisor_a)
    client.post("/accounts/login/", login_data(password=password))
    response = client.post(
        "/accounts/password/change-required/",
        {"password1": password, "password2": password, "captcha": "PASSED", "captcha_key": "x"},
    )
    assert response.status_code == 200 and "最近 3 次" in text(response)


def test_send_reset_link_mails_the_volunteer_and_returns_the_masked_address(volunteer, supervisor_a):
    assert services.send_reset_link(volunteer, request=None, actor=supervisor_a) == "b***@example.tw"
    assert mail.outbox[0].to == ["bear@example.tw"]
    assert AuditEntry.objects.filter(action="accounts.password.reset_link", actor=supervisor_a).exists()


def test_send_reset_link_without_email_says_so(other_volunteer, supervisor_b):
    with pytest.raises(services.AccountError) as caught:
        services.send_reset_link(other_volunteer, request=None, actor=supervisor_b)
    assert caught.value.code == "no_email" and "電子信箱" in caught.value.message


def test_a_volunteer_can_change_a_known_password(client, volunteer, test_captcha):
    client.post("/accounts/login/", login_data())
    response = client.post(
        "/accounts/password/change/",
        {"current_password": "wrong", "password1": "Next-Pass-20261", "password2": "Next-Pass-20261",
         "captcha": "PASSED", "captcha_key": "x"},
    )
    assert "目前的密碼不正確" in text(response)
    assert response.context["form"].errors["current_password"] == ["目前的密碼不正確。"]  # next to its box
    from conftest import PASSWORD

    response = client.post(
        "/accounts/password/change/",
        {"current_password": PASSWORD, "password1": "Next-Pass-20261", "password2": "Next-Pass-20261",
         "captcha": "PASSED", "captcha_key": "x"},
    )
    assert response.status_code == 302
    assert client.get("/accounts/sign-ins/").status_code == 200  # still signed in


def test_staff_help_finishes_a_pending_sign_up(db, supervisor_a):
    import datetime as dt

    from volnet.accounts.models import User

    pending = User.objects.create_user("A123456789", "Pending-Pass-2026", name="王小明", birth_date=dt.date(1990, 1, 1),
                                       email="ming@example.tw", signup_pending=True)
    services.set_temporary_password(pending, supervisor_a)
    pending.refresh_from_db()
    assert not pending.signup_pending and pending.email_verified_at and pending.must_change_password


def test_a_reset_link_from_staff_finishes_a_pending_sign_up(client, db, supervisor_a, test_captcha, settings):
    import datetime as dt
    import re

    from volnet.accounts.models import User

    pending = User.objects.create_user("A123456789", "Pending-Pass-2026", name="王小明", birth_date=dt.date(1990, 1, 1),
                                       email="ming@example.tw", signup_pending=True)
    services.send_reset_link(pending, actor=supervisor_a)
    link = re.search(r"/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    client.get(link)
    client.post("/accounts/password/reset/", {"password1": "Fresh-Start-2026", "password2": "Fresh-Start-2026",
                                              "captcha": "PASSED", "captcha_key": "x"})
    assert client.post("/accounts/login/", login_data("A123456789", "Fresh-Start-2026")).status_code == 302
