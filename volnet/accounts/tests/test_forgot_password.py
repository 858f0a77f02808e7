import datetime as dt

from django.core import mail
from django.test import Client
from django.utils import timezone

from .helpers import text

MISMATCH = "查無符合的資料"


def ask(client, national_id="E122333441", birth="70/05/20", **extra):
    return client.post(
        "/accounts/password/forgot/",
        {"national_id": national_id, "birth_date": birth, "captcha": "PASSED", "captcha_key": "x", **extra},
    )


def test_the_page_follows_the_manual(client, db):
    html = text(client.get("/accounts/password/forgot/"))
    for words in ("忘記密碼", "身分證號碼(居留證號碼)", "出生年月日", "範例：114/02/02", "驗證碼", "使用語音播放驗證碼",
                  "確定重置密碼", "回上一頁", "若您未留有電子信箱，請聯繫志工督導協助處理"):
        assert words in html


def test_with_an_email_on_file_a_reset_link_is_mailed_and_the_address_shown_masked(client, volunteer, test_captcha,
                                                                                   settings):
    settings.SITE_URL = "https://vol.example.tw"
    response = ask(client)
    html = text(response)
    assert "重置密碼連結已寄出" in html and "b***@example.tw" in html
    assert "bear@example.tw" not in html
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bear@example.tw"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "重置密碼" in message.subject
    assert "https://vol.example.tw/accounts/password/reset/" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "重新設定密碼" in html_body and 'lang="zh-Hant-TW"' in html_body
    assert "30 分鐘" in message.body


def test_without_email_the_manual_message_a_is_shown(client, other_volunteer, test_captcha):
    html = text(ask(client, national_id="F135792464", birth="60/01/15"))
    assert "志工後台未設定您的電子信箱" in html and "單位管理員" in html
    assert len(mail.outbox) == 0


def test_a_wrong_birth_date_and_an_unknown_id_get_the_same_answer(client, volunteer, test_captcha):
    wrong_date = text(ask(client, birth="70/05/21"))
    unknown = text(ask(client, national_id="A123456789"))
    assert MISMATCH in wrong_date and MISMATCH in unknown
    assert "信箱" not in wrong_date.split("form-errors")[1][:200]
    assert len(mail.outbox) == 0
    # the form keeps what was typed
    assert 'value="70/05/21"' in wrong_date


def test_the_birth_date_may_be_typed_in_other_roc_forms(client, volunteer, test_captcha, settings):
    settings.VOLNET_RATE_FORGOT_ID = settings.VOLNET_RATE_FORGOT_IP = "50/h"
    for typed in ("070/05/20", "70-5-20", "0700520", "70年5月20日", "７０/０５/２０"):
        mail.outbox.clear()
        assert "重置密碼連結已寄出" in text(ask(client, birth=typed)), typed


def test_impossible_or_malformed_dates_get_a_chinese_message(client, volunteer, test_captcha):
    cases = {
        "114/02/30": "不存在",
        "0/01/01": "必須大於 0",
        "hello": "不是有效的民國日期",
        "1981-05-20x": "不是有效的民國日期",
        "9" * 10_000: "最多 20 個字",
        "": "請輸入出生年月日",
    }
    for typed, message in cases.items():
        response = ask(client, birth=typed)
        assert response.status_code == 200
        assert message in text(response), typed
    assert len(mail.outbox) == 0


def test_requests_are_limited_per_id(client, volunteer, test_captcha, settings):
    settings.VOLNET_RATE_FORGOT_ID = "2/h"
    ask(client)
    ask(Client(REMOTE_ADDR="10.0.0.2"))
    third = ask(Client(REMOTE_ADDR="10.0.0.3"))
    assert third.status_code == 429 and "申請次數過多" in text(third)
    assert len(mail.outbox) == 2


def test_requests_are_limited_per_address_across_ids(client, volunteer, other_volunteer, test_captcha, settings):
    settings.VOLNET_RATE_FORGOT_IP = "3/h"
    for number in ("A123456789", "F135792464", "B223456782"):
        ask(client, national_id=number)
    response = ask(client)
    assert response.status_code == 429 and len(mail.outbox) == 0


def test_the_captcha_is_required(client, volunteer):
    response = client.post("/accounts/password/forgot/", {"national_id": "E122333441", "birth_date": "70/05/20"})
    assert "請輸入驗證碼" in text(response) and len(mail.outbox) == 0


def test_a_mail_server_that_is_down_delays_the_link_and_it_goes_out_once_the_server_is_back(
        client, volunteer, test_captcha, settings, mailbox):
    from volnet.mailer import outbox
    from volnet.mailer.models import Mail

    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    response = ask(client)
    assert response.status_code == 200 and "重置密碼連結已寄出" in text(response)  # queued, and retried
    [queued] = Mail.objects.all()
    assert queued.status == Mail.Status.PENDING and queued.attempts == 1 and "refused" in queued.last_error

    settings.EMAIL_PORT = mailbox.port  # the server is back
    later = timezone.now() + dt.timedelta(minutes=3)  # past its retry time
    outbox.send_due(now=later)
    outbox.send_due(now=later)
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert "/accounts/password/reset/" in message.get_body(preferencelist=("plain",)).get_content()
    assert mailbox.wait_for(2, timeout=0.5) == [message]
    queued.refresh_from_db()
    assert queued.status == Mail.Status.SENT and queued.attempts == 2
