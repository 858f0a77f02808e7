"""Mail through a real Celery worker and a real Redis (fixture `celery_worker`): a page never waits on the mail
server, and a worker killed in the middle of a send leaves exactly one copy to go out."""

import time

import pytest

from volnet.mailer import tasks
from volnet.mailer.models import Mail

pytestmark = pytest.mark.django_db(transaction=True)


def forgot(client, national_id, birth):
    started = time.monotonic()
    response = client.post("/accounts/password/forgot/", {"national_id": national_id, "birth_date": birth,
                                                          "captcha": "PASSED", "captcha_key": "x"})
    assert response.status_code == 200
    return time.monotonic() - started, response.content.decode()


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_sends_a_queued_mail_once(celery_worker, mailbox, client, volunteer, test_captcha):
    _took, html = forgot(client, "E122333441", "70/05/20")
    assert "重置密碼連結已寄出" in html
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert "/accounts/password/reset/" in message.get_body(preferencelist=("plain",)).get_content()
    assert wait_until(lambda: Mail.objects.get().status == Mail.Status.SENT, 10)
    again = tasks.deliver.delay(Mail.objects.get().pk)  # the same task again, as after a worker died before its ack
    assert celery_worker.wait_until_done(again), "".join(celery_worker.log[-30:])
    assert mailbox.wait_for(2, timeout=0.1) == [message]


def test_a_page_never_waits_on_a_mail_server_that_stalls_for_ten_seconds(
        celery_worker, mailbox, client, volunteer, other_volunteer, test_captcha):
    # Without mail: 陳大同 has no address, so asking for his reset link mails nothing.
    without_mail = min(forgot(client, "F135792464", "60/01/15")[0] for _ in range(2))
    mailbox.stall_seconds = 10
    with_mail, html = forgot(client, "E122333441", "70/05/20")
    assert "重置密碼連結已寄出" in html
    assert with_mail < without_mail + 0.5, (with_mail, without_mail)
    started = time.monotonic()
    [message] = mailbox.wait_for(1, timeout=30, to="bear@example.tw")  # it does go out, once the server answers
    assert time.monotonic() - started > 8 and mailbox.wait_for(2, timeout=1) == [message]


def test_a_worker_killed_in_the_middle_of_a_send_leaves_exactly_one_copy(
        celery_worker, mailbox, client, volunteer, test_captcha):
    mailbox.stall_seconds = 30
    forgot(client, "E122333441", "70/05/20")
    mail = Mail.objects.get()
    assert wait_until(lambda: mailbox.held, 30)  # the worker took the task and waits for the mail server's answer
    assert any(f"[{mail.pk}]" in line or "deliver" in line for line in celery_worker.log)
    celery_worker.kill()
    assert mailbox.wait_for(1, timeout=0.5) == [] and Mail.objects.get().status == Mail.Status.PENDING
    mailbox.stall_seconds = 0
    celery_worker.start()  # the task it held is handed out again after CELERY_VISIBILITY_TIMEOUT
    [message] = mailbox.wait_for(1, timeout=30, to="bear@example.tw")
    assert wait_until(lambda: Mail.objects.get().status == Mail.Status.SENT, 10)
    assert mailbox.wait_for(2, timeout=2) == [message]


def test_a_scheduled_jobs_batch_of_mail_goes_out_through_the_worker_once(celery_worker, mailbox, volunteer, unit_a):
    import datetime as dt

    from volnet.records import reminders
    from volnet.records.models import InsuranceCoverage, InsurancePolicy

    policy = InsurancePolicy.objects.create(unit=unit_a, insurer="某產險", policy_number="P1",
                                            start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 6, 20))
    InsuranceCoverage.objects.create(policy=policy, volunteer=volunteer)
    assert reminders.remind_insurance_ending(dt.date(2026, 6, 1)) == 1  # one batch: tasks.deliver_many
    [message] = mailbox.wait_for(1, timeout=30, to=volunteer.email)
    assert "115/06/20" in message.get_body(preferencelist=("plain",)).get_content()
    assert wait_until(lambda: Mail.objects.get().status == Mail.Status.SENT, 10)
    again = tasks.deliver_many.delay([Mail.objects.get().pk])  # the batch again, as after a worker died before its ack
    assert reminders.remind_insurance_ending(dt.date(2026, 6, 1)) == 0
    assert celery_worker.wait_until_done(again), "".join(celery_worker.log[-30:])
    assert mailbox.wait_for(2, timeout=0.1) == [message]
