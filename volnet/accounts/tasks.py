"""The accounts' scheduled job (beat): expired rows forgotten (accounts.purge)."""

from celery import shared_task


@shared_task
def purge_expired():
    from volnet.accounts import purge

    purge.purge_expired()
