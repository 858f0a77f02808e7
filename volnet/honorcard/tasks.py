"""The honor cards' scheduled jobs (beat): cards about to end (honorcard.reminders), spent QR codes purged."""

from celery import shared_task


@shared_task
def remind_cards_ending():
    from volnet.honorcard import reminders

    reminders.remind_cards_ending()


@shared_task
def purge_card_tokens():
    from volnet.honorcard import services

    services.purge_tokens()
