"""The courses' scheduled job: the reminder the day before each session (beat, once a day)."""

from celery import shared_task


@shared_task
def remind_day_before():
    from volnet.courses import completion

    return completion.remind_day_before()
