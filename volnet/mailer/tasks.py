"""The mail tasks (volnet.mailer.outbox says how a mail is sent exactly once)."""

from celery import shared_task

from volnet.mailer import outbox


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS)
def deliver(self, pk):
    """Send one outbox mail; on a server error try again with backoff, and when another sender holds it, look
    again once its claim runs out (a worker's retry; run eagerly, as in tests and a `make run` without Redis,
    the next send_due does it instead)."""
    wait = outbox.send_one(pk)
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait)


@shared_task
def deliver_many(pks):
    """Send a batch of outbox mails (a scheduled job's reminders). Each is claimed and marked as `deliver`
    does, so a batch run twice sends nothing twice; a mail whose server failed keeps its backoff and is
    tried again by `send_due`."""
    for pk in pks:
        outbox.send_one(pk)


@shared_task
def send_due():
    outbox.send_due()
