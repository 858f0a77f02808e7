import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from volnet.accounts import services
from volnet.accounts.models import User

from .helpers import login_data, text

PASSWORD = "Joining-Pass-2026"


def form(**extra):
    data = {
        "national_id": "A123456789",
        "name": "王小明",
        "birth_date": "79/01/01",
        "email": "ming@example.tw",
        "phone": "0912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "captcha": "PASSED",
        "captcha_key": "x",
    }
    data.update(extra)
    return data


def verification_link():
    return re.search(r"https?://[^/\s]+(/accounts/sign-up/verify/\S+/)", mail.outbox[-1].body).group(1)


def test_the_page_asks_for_everything_the_issue_lists(client, db):
    html = text(client.get("/accounts/sign-up/"))
    for words in ("加入會員", "身分證號碼(居留證號碼)", "姓名", "出生年月日", "電子信箱", "電話", "密碼",
                  "再次輸入密碼", "驗證碼", "1.密碼最短長度：12"):
        assert words in html


def test_a_sign_up_waits_for_the_email_link_before_login(client, db, test_captcha):
    response = client.post("/accounts/sign-up/", form(national_id=" a123456789 "))
    assert response.status_code == 200 and "m***@example.tw" in text(response)
    user = User.objects.get(national_id="A123456789")
    assert user.signup_pending and user.birth_date == dt.date(1990, 1, 1) and user.phone == "0912345678"
    assert mail.outbox[0].to == ["ming@example.tw"] and mail.outbox[0].alternatives
    # not before verification
    refused = client.post("/accounts/login/", login_data("A123456789", PASSWORD))
    assert "尚未完成驗證" in text(refused) and "重新寄送驗證信" in text(refused)
    # the link verifies, once
    link = verification_link()
    assert client.get(link)["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert not user.signup_pending and user.email_verified_at
    assert "已完成驗證" in text(client.get(link))
    assert client.post("/accounts/login/", login_data("A123456789", PASSWORD)).status_code == 302


def test_the_verification_mail_can_be_sent_again_a_few_times(client, db, test_captcha, settings):
    settings.VOLNET_RATE_VERIFY_MAIL = "1/h"
    client.post("/accounts/sign-up/", form())
    client.post("/accounts/login/", login_data("A123456789", PASSWORD))
    client.post("/accounts/verification/resend/")
    assert len(mail.outbox) == 2
    response = client.post("/accounts/verification/resend/", follow=True)
    assert "驗證信已寄出多次" in text(response) and len(mail.outbox) == 2


def test_a_wrong_password_never_reveals_a_pending_account(client, db, test_captcha):
    client.post("/accounts/sign-up/", form())
    assert "帳號或密碼錯誤" in text(client.post("/accounts/login/", login_data("A123456789", "Wrong-Pass-2026x")))


def test_an_existing_id_is_told_to_use_forgot_password(client, volunteer, test_captcha):
    response = client.post("/accounts/sign-up/", form(national_id="E122333441"))
    html = text(response)
    assert "已有帳號" in html and "忘記密碼" in html and 'href="/accounts/password/forgot/"' in html
    assert User.objects.filter(national_id="E122333441").count() == 1
    assert len(mail.outbox) == 0


def test_the_service_never_creates_two_accounts_for_one_id(db, rf):
    request = rf.post("/")
    first = services.sign_up(request, national_id="A123456789", name="王小明", birth_date=dt.date(1990, 1, 1),
                             email="a@example.tw", phone="0912345678", password=PASSWORD)
    # never verified: a new sign-up takes its place, in the same account
    second = services.sign_up(request, national_id="a123456789", name="王小明", birth_date=dt.date(1990, 1, 1),
                              email="b@example.tw", phone="0912345678", password=PASSWORD)
    assert second.pk == first.pk and User.objects.get(national_id="A123456789").email == "b@example.tw"
    assert services.verify_email(urlsplit(services.verification_url(second)).path.split("/")[-2]) == second
    with pytest.raises(services.AccountError) as caught:
        services.sign_up(request, national_id="A123456789", name="冒名者", birth_date=dt.date(1990, 1, 1),
                         email="c@example.tw", phone="0912345678", password=PASSWORD)
    assert caught.value.code == "exists"
    assert User.objects.filter(national_id="A123456789").count() == 1


def test_a_pending_sign_up_of_any_age_gives_way_to_a_new_one(db, rf):
    """Not only once its link has expired (3 days): a day-old pending sign-up is released too."""
    old = User.objects.create_user("A123456789", PASSWORD, name="冒名者", email="x@example.tw", signup_pending=True)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - dt.timedelta(days=1))
    services.sign_up(rf.post("/"), national_id="A123456789", name="王小明", birth_date=dt.date(1990, 1, 1),
                     email="real@example.tw", phone="0912345678", password=PASSWORD)
    assert User.objects.get(national_id="A123456789").email == "real@example.tw"


def test_tampered_or_expired_verification_links_are_refused(client, db, test_captcha, clock):
    client.post("/accounts/sign-up/", form())
    link = verification_link()
    tampered = client.get(link[:-3] + "xx/")
    assert tampered.status_code == 400 and "驗證連結無效" in text(tampered)
    user = User.objects.get(national_id="A123456789")
    clock.shift(dt.timedelta(days=-4))
    old = services.verification_url(user)  # made four days ago
    clock.shift(dt.timedelta(days=4))
    expired = client.get(urlsplit(old).path)
    assert expired.status_code == 400 and "驗證連結已逾期" in text(expired)
    user.refresh_from_db()
    assert user.signup_pending


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"national_id": "A123456788"}, "檢查碼不正確"),
        ({"birth_date": "79/02/30"}, "不存在"),
        ({"email": "not-an-email"}, "電子信箱格式不正確"),
        ({"phone": "call me"}, "電話請填寫數字"),
        ({"name": "王" * 10_000}, "姓名最多 60 個字"),
        ({"name": "   "}, "請輸入姓名"),
        ({"name": "王\u0000明"}, "無法使用的字元"),
        ({"password2": "Different-Pass-1"}, "兩次輸入的密碼不一致"),
        ({"password1": "Ab1" + "a123456789", "password2": "Ab1" + "a123456789"}, "不可包含身分證號碼"),
        ({"password1": "short", "password2": "short"}, "太短"),
        ({"captcha": ""}, "請輸入驗證碼"),
    ],
)
def test_bad_input_gets_chinese_messages_and_the_form_keeps_the_rest(client, db, test_captcha, fields, message):
    response = client.post("/accounts/sign-up/", form(**fields))
    html = text(response)
    assert response.status_code == 200 and message in html
    assert 'value="0912345678"' in html or "phone" in fields
    assert not User.objects.exists()


def test_sign_ups_are_limited_per_address(client, db, test_captcha, settings):
    settings.VOLNET_RATE_SIGNUP_IP = "1/h"
    client.post("/accounts/sign-up/", form())
    response = client.post("/accounts/sign-up/", form(national_id="F135792464"))
    assert response.status_code == 429 and "申請次數過多" in text(response)


def test_a_foreigner_without_a_residence_permit_signs_up_and_in_with_a_passport(client, db, test_captcha):
    response = client.post("/accounts/sign-up/", form(national_id="jpn tr1234567", name="Yamada Taro"))
    assert response.status_code == 200
    user = User.objects.get(national_id="JPNTR1234567")
    assert user.masked_id == "JPNTR123****"
    client.get(verification_link())
    assert client.post("/accounts/login/", login_data("JPN TR1234567", PASSWORD)).status_code == 302
