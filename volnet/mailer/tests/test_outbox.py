"""The outbox with a real SMTP server (the `mailbox` sink), tasks run eagerly as in every test."""

import datetime as dt
import smtplib

import pytest
from django.db import transaction
from django.utils import timezone

from volnet.mailer import outbox, tasks
from volnet.mailer.models import Mail

pytestmark = pytest.mark.django_db


def queue(to="bear@example.tw", **extra):
    return outbox.queue_message(to=to, subject="測試信", text="內文", html="<p>內文</p>", **extra)


def test_a_mail_goes_out_when_its_transaction_commits(mailbox):
    with transaction.atomic():
        mail = queue()
        assert mailbox.wait_for(1, timeout=0.3) == []  # not before the commit
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert message["Subject"] == "測試信"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>內文</p>"
    mail.refresh_from_db()
    assert mail.status == Mail.Status.SENT and mail.attempts == 1 and mail.sent_at is not None


def test_a_transaction_that_rolls_back_sends_nothing(mailbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the action failed")
    assert mailbox.wait_for(1, timeout=0.5) == [] and not Mail.objects.exists()


def test_the_same_key_queues_one_mail(mailbox):
    first = queue(key="reminder:insurance:42:2026-12")
    again = queue(key="reminder:insurance:42:2026-12")
    assert first.pk == again.pk and Mail.objects.count() == 1
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


def test_a_task_run_again_after_the_mail_went_out_sends_no_second_copy(mailbox):
    mail = queue()
    [message] = mailbox.wait_for(1)
    tasks.deliver.delay(mail.pk)  # the broker hands the task out again (its worker died before acknowledging)
    outbox.send_due(now=timezone.now() + dt.timedelta(hours=1))
    assert mailbox.wait_for(2, timeout=0.5) == [message]
    # a copy would carry the same id
    assert message["Message-ID"] == outbox.message_for(mail).extra_headers["Message-ID"]


def test_a_server_that_is_down_is_tried_again_with_backoff_then_given_up(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    mail = queue()  # the first attempt: at once
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS - 2):
        mail.refresh_from_db()
        waits.append(round((mail.next_attempt_at - timezone.now()).total_seconds() / 60))
        assert outbox.send_one(mail.pk) is not None
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert outbox.send_one(mail.pk) is None
    mail.refresh_from_db()
    assert mail.status == Mail.Status.FAILED and mail.attempts == outbox.MAX_ATTEMPTS
    assert "refused" in mail.last_error


def test_a_permanent_refusal_is_not_retried():
    refused = smtplib.SMTPRecipientsRefused({"nobody@example.tw": (550, b"no such mailbox")})
    busy = smtplib.SMTPRecipientsRefused({"bear@example.tw": (451, b"try again later")})
    assert outbox._permanent(refused) and not outbox._permanent(busy)
    assert not outbox._permanent(ConnectionRefusedError())


def test_send_due_takes_a_mail_whose_task_was_lost_and_forgets_old_sent_mail(mailbox, settings):
    with transaction.atomic():
        lost = Mail.objects.create(key="lost", to="bear@example.tw", subject="遺失的任務", text="內文",
                                   next_attempt_at=timezone.now())  # no task was queued for it
    old = queue(to="old@example.tw")
    mailbox.wait_for(1, to="old@example.tw")
    assert outbox.send_due() == (0, 0)  # the lost one is only two minutes overdue later
    assert outbox.send_due(now=timezone.now() + dt.timedelta(minutes=3)) == (1, 0)
    assert mailbox.wait_for(1, to="bear@example.tw")
    lost.refresh_from_db()
    assert lost.status == Mail.Status.SENT
    assert outbox.send_due(now=timezone.now() + outbox.KEEP_SENT + dt.timedelta(days=1)) == (0, 2)
    assert not Mail.objects.filter(pk=old.pk).exists()


def test_a_template_mail_is_in_the_language_asked_for(mailbox):
    from volnet.accounts.models import User

    person = User(name="測試熊")
    outbox.queue_mail("accounts/mail/password_reset", to="bear@example.tw", language="en",
                      context={"user": person, "url": "http://x/reset/", "minutes": 30})
    [message] = mailbox.wait_for(1)
    assert "password" in message["Subject"].lower()
