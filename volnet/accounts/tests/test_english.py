"""A visitor who chose English in the footer gets the account pages, their errors, messages and mails
in English. The audio captcha still speaks Mandarin digits: only its button and description change."""

from django.core import mail

from conftest import IDEOGRAPH, PASSWORD, ideographs, in_english
from volnet.accounts.models import SignInEvent

from .helpers import login_data, text


def test_the_login_page_reads_in_english_with_no_chinese_left(client, db):
    in_english(client)
    html = text(client.get("/accounts/login/"))
    assert '<html lang="en">' in html
    assert "<h1>Member login</h1>" in html
    required = '<span class="required"> (required)</span>'
    for words in (f'<label for="id_national_id">Account{required}</label>',
                  f'<label for="id_password">Password{required}</label>',
                  f'<label for="id_captcha">Verification code{required}</label>',
                  "Forgot password", "Sign up", "How to log in",
                  "Play the code as audio (Mandarin)", "New picture",
                  'aria-label="Audio verification code (4 digits spoken in Mandarin)"',
                  'data-playing-text="Playing the audio verification code"',
                  'data-refreshed-text="A new verification code is shown"'):
        assert words in html, words
    assert not ideographs(html), ideographs(html)


def test_a_wrong_password_and_a_missing_captcha_are_explained_in_english(client, volunteer, test_captcha):
    in_english(client)
    html = text(client.post("/accounts/login/", login_data(password="Not-The-Password-1")))
    assert "The account or password is wrong. Please try again." in html
    html = text(client.post("/accounts/login/", login_data(captcha="")))
    assert "Please enter the verification code." in html
    assert "Please correct the following, then send again:" in html
    assert not ideographs(html)


def test_the_lock_message_is_in_english(client, volunteer, test_captcha):
    in_english(client)
    for _ in range(5):
        html = text(client.post("/accounts/login/", login_data(password="Wrong-Password-99")))
    assert "this account is locked for 15 minutes" in html
    assert "use “Forgot password” to set a new one" in html


def test_sign_up_checklist_and_field_errors_in_english(client, db, test_captcha):
    in_english(client)
    html = text(client.get("/accounts/sign-up/"))
    assert "<h1>Sign up</h1>" in html
    for words in ("Password rules:", "1.At least 12 characters long", "2.Contains a digit",
                  'data-met-text="(met)"', 'data-unmet-text="(not met yet)"',
                  'data-all-met-text="All password rules are met"', 'data-count-text="{met} of {total} rules met"',
                  "Date of birth", "Example: 114/02/02 (ROC year/month/day)"):
        assert words in html, words
    assert not ideographs(html)

    data = {"national_id": "A123456789", "name": "", "birth_date": "79/01/01", "email": "not-an-email",
            "phone": "0912345678", "password1": "alllowercase", "password2": "alllowercase",
            "captcha": "PASSED", "captcha_key": "x"}
    html = text(client.post("/accounts/sign-up/", data))
    assert "Please fill in “Name”." in html
    assert "This is not a valid email address" in html
    data.update(name="Ming Wang", email="ming@example.tw")
    html = text(client.post("/accounts/sign-up/", data))
    assert "The password must contain a digit and an uppercase letter." in html
    data.update(password1="Aa1", password2="Ab2")
    assert "The two passwords do not match." in text(client.post("/accounts/sign-up/", data))


def test_too_long_a_name_names_the_field_in_english(client, db, test_captcha):
    in_english(client)
    html = text(client.post("/accounts/sign-up/", {"name": "x" * 61, "captcha": "PASSED", "captcha_key": "x"}))
    assert "“Name” can be at most 60 characters long." in html


def test_forgot_password_mails_the_link_in_english(client, volunteer, test_captcha):
    in_english(client)
    data = {"national_id": "E122333441", "birth_date": "70/05/20", "captcha": "PASSED", "captcha_key": "x"}
    html = text(client.post("/accounts/password/forgot/", data))
    assert "The password reset link has been sent." in html and "b***@example.tw" in html
    message = mail.outbox[0]
    assert message.subject == "[Volunteer Service Network] Password reset link (account recovery)"
    assert message.body.startswith("Dear 測試熊,")
    assert "within 30 minutes" in message.body and "This link works only once" in message.body
    assert not IDEOGRAPH.search(message.body.replace("測試熊", ""))
    html_body, _mimetype = message.alternatives[0]
    assert 'lang="en"' in html_body and "Set a new password" in html_body
    assert not IDEOGRAPH.search(html_body.replace("測試熊", ""))


def test_the_verification_mail_is_in_english(client, db, test_captcha):
    in_english(client)
    data = {"national_id": "A123456789", "name": "Ming Wang", "birth_date": "79/01/01", "email": "ming@example.tw",
            "phone": "0912345678", "password1": "Joining-Pass-2026", "password2": "Joining-Pass-2026",
            "captcha": "PASSED", "captcha_key": "x"}
    html = text(client.post("/accounts/sign-up/", data))
    assert "<h1>Please verify your email address</h1>" in html
    message = mail.outbox[0]
    assert message.subject == "[Volunteer Service Network] Please verify your email address (sign-up)"
    assert not IDEOGRAPH.search(message.subject + message.body + message.alternatives[0][0])


def test_the_logout_flash_message_is_in_english(client, volunteer):
    in_english(client)
    client.force_login(volunteer)
    response = client.post("/accounts/logout/", follow=True)
    assert "You have logged out." in text(response)


def test_the_sign_in_history_speaks_english(client, volunteer):
    in_english(client)
    SignInEvent.objects.create(user=volunteer, result="bad_credentials", ip_address="203.0.113.5")
    client.force_login(volunteer)
    html = text(client.get("/accounts/sign-ins/"))
    assert "<h1>Sign-in history</h1>" in html
    for words in ('<th scope="col">Result</th>', "Wrong account or password", "Volunteer site", "1 record</p>"):
        assert words in html, words


def test_a_weak_new_password_is_refused_in_english(client, volunteer, test_captcha):
    in_english(client)
    client.force_login(volunteer)
    data = {"current_password": PASSWORD, "password1": "Born-19810520-x", "password2": "Born-19810520-x",
            "captcha": "PASSED", "captcha_key": "x"}
    html = text(client.post("/accounts/password/change/", data))
    assert "<h1>Change password</h1>" in html
    assert "The password must not contain your date of birth." in html


def test_the_staff_pages_speak_english(client, supervisor_a):
    in_english(client)
    html = text(client.get("/accounts/staff/login/"))
    assert "<h1>Back office login</h1>" in html and "Log in to the back office" in html
    assert not ideographs(html)
    client.force_login(supervisor_a)
    html = text(client.get("/accounts/staff/security/"))
    assert "<h1>Account security</h1>" in html and "Set up two-step verification" in html
