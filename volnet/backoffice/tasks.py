"""The back office's scheduled job (beat): the staff's daily digest (backoffice.digest)."""

from celery import shared_task


@shared_task
def send_digest():
    from volnet.backoffice import digest

    digest.send_digest()
