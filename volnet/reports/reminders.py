"""Scheduled reminder of §7 results reports (beat, volnet.reports.tasks): a unit whose report of last year is
still awaited (`queries.awaiting_report`) is reminded twice, once when the deadline nears (from `NEAR_DAYS`
before the last day of February) and once when it has passed: a mail to the unit's own address (the one the
review desk's 寄送提醒 uses) and a 通知 to each of its staff in force. Each reminder's key names the unit (or the
person), the year and the stage, so a daily run tells nobody twice; the units are read a batch at a time, the
mail rendered once."""

import datetime as dt
import itertools

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from volnet.lib import rocdate
from volnet.mailer import outbox
from volnet.notifications.models import Kind
from volnet.notifications.services import Notice, notify_many
from volnet.reports import queries
from volnet.units import access
from volnet.units.models import Unit

NEAR_DAYS = 30
BATCH = 2000
UNIT_MAIL = "reports/mail/reminder"


def stage(year, today):
    """"near" from NEAR_DAYS before the report of `year` is due, "late" after, else None."""
    due = queries.due_date(year)
    if today > due:
        return "late"
    if today >= due - dt.timedelta(days=NEAR_DAYS):
        return "near"
    return None


def _rows(year, batch):
    units = queries.awaiting_report(Unit.objects.all(), year).order_by()
    rows = units.values_list("pk", "code", "name", "email", "authority__name").iterator(chunk_size=batch)
    while chunk := list(itertools.islice(rows, batch)):
        yield chunk


def _unit_link(unit_id):
    return reverse("reports:unit") + f"?unit={unit_id}"


def _mail_units(chunk, year, when, skeleton):
    mails = []
    for unit_id, code, name, email, authority in chunk:
        if email:
            subject, text, html = skeleton.fill(
                unit=f"{code}{name}", authority=authority, url=settings.SITE_URL.rstrip("/") + _unit_link(unit_id))
            mails.append({"key": f"report-due:{unit_id}:{year}:{when}", "to": email, "subject": subject,
                          "text": text, "html": html})
    with transaction.atomic():
        return outbox.queue_many(mails, template=UNIT_MAIL)


def _staff_notices(chunk, year, when):
    due = rocdate.format(queries.due_date(year))
    staff = access.unit_staff_in_force({row[0] for row in chunk})
    for unit_id, code, name, _email, _authority in chunk:
        for person, person_name, email in staff[unit_id]:
            yield Notice(person, person_name, email, key=f"report-due:{person}:{unit_id}:{year}:{when}",
                         params={"unit": f"{code}{name}", "year": year - 1911, "due": due, "variant": when},
                         link=_unit_link(unit_id))


def remind_reports_due(today=None, batch=BATCH):
    """Remind the units whose results report of last year is awaited, if its deadline is near or past (once per
    unit, year and stage). Returns (mails to units queued, staff notifications written)."""
    today = today or timezone.localdate()
    year = today.year - 1
    when = stage(year, today)
    if when is None:
        return 0, 0
    skeleton = outbox.Skeleton(UNIT_MAIL, language=settings.LANGUAGE_CODE, context={
        "unit": outbox.marker("unit"), "authority": outbox.marker("authority"), "url": outbox.marker("url"),
        "year": year - 1911, "due": rocdate.format(queries.due_date(year))})
    mailed = told = 0
    for chunk in _rows(year, batch):
        mailed += _mail_units(chunk, year, when, skeleton)
        told += notify_many(Kind.REPORTS_DUE, _staff_notices(chunk, year, when), batch=batch)
    return mailed, told
