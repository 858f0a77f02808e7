"""The records' tasks: an Excel import committed by a worker (records.staging says how), a download's file made
by a worker (records.filejobs), the staging sweep."""

from celery import shared_task

from volnet.records import staging


@shared_task
def commit_upload(token, user_id, unit_id, ip):
    staging.run_commit(token, user_id=user_id, unit_id=unit_id, ip=ip)


@shared_task
def make_file(token):
    from volnet.records import filejobs

    filejobs.run(token)


@shared_task
def sweep_uploads():
    staging.sweep()


@shared_task
def remind_insurance_ending():
    from volnet.records import reminders

    reminders.remind_insurance_ending()
