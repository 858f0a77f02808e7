"""The §7 reports' scheduled job (beat): results reports due or late (reports.reminders)."""

from celery import shared_task


@shared_task
def remind_reports_due():
    from volnet.reports import reminders

    reminders.remind_reports_due()
