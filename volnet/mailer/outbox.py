"""Mail as tasks, sent exactly once.

`queue_mail(template, to=…, context=…)` renders the mail now (in the reader's language) and writes it to the
outbox inside the caller's transaction; once that transaction commits, `tasks.deliver` is queued for it. A
caller that rolls back leaves no mail behind. `send_one(pk)` is what the task does: it locks the row (skipping
a row another worker holds) and claims it for `lease()` seconds, commits, hands the mail to the SMTP server,
and marks it sent. A task run twice (redelivered after its worker died, or a duplicate) finds the row sent or
claimed and sends nothing; a claim whose sender died runs out and the mail is sent then. No database lock is
held while the mail server talks (on SQLite that would stop every other writer for as long as a slow server
takes). The one gap two systems without a shared transaction leave is a crash between the server's "250 OK"
and our marking it sent; a copy sent again then carries the same Message-ID, which mail programs show once.

A failed send is tried again with backoff (1, 2, 4 … 60 minutes, `MAX_ATTEMPTS` in all); a refusal the server
calls permanent (5xx: no such mailbox) is not retried. `send_due()` (beat, every minute) sends what is due and
what lost its task (a broker that was down at commit time), and forgets sent mail after `KEEP_SENT`.

Many mails of one template at once (a scheduled job's reminders): render the template once as a `Skeleton`,
`fill` it for each recipient and write the rows with `queue_many`, one INSERT per batch and one task per batch.
"""

import datetime as dt
import hashlib
import logging
import re
import smtplib
import urllib.parse
import uuid
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from volnet.mailer.models import Mail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
KEEP_SENT = dt.timedelta(days=30)
LOST_AFTER = dt.timedelta(minutes=2)  # a pending mail whose task has not taken it by then lost its task
BATCH = 500


def queue_mail(template, *, to, context, language=None, key=None):
    """Queue the mail of the template triple `<template>_subject.txt`, `.txt`, `.html` to `to`; returns its row.

    `language`: the mail's language when it is not the current page's (a mail staff send to a volunteer is in
    the site's language). `key`: names the mail for a caller that may run twice; the same key queues it once."""
    with translation.override(language or translation.get_language()):
        context = {"SITE_NAME": gettext(settings.SITE_NAME), "SITE_URL": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return queue_message(to=to, subject=subject, text=text, html=html, template=template, key=key)


def queue_message(*, to, subject, text, html="", template="", key=None):
    """Queue a mail already written; see queue_mail."""
    mail, created = Mail.objects.get_or_create(key=key or uuid.uuid4().hex, defaults={
        "to": to, "subject": subject[:300], "text": text, "html": html, "template": template[:100],
        "next_attempt_at": timezone.now(),
    })
    if created:
        transaction.on_commit(partial(_enqueue, mail.pk))
    return mail


def marker(name):
    """Where a Skeleton puts the value `name` of each mail (private-use characters no template escapes)."""
    return f"\ue000{name}\ue001"


_MARKER = re.compile("\ue000(\\w+)\ue001")


class Skeleton:
    """The template triple of `queue_mail` rendered once, with `marker(name)` where each mail's own values go;
    `fill(**values)` gives one mail's (subject, text, html) without rendering again (the HTML part gets the
    values escaped). The template must print a marked value as it is (no filter that changes it), and every
    branch it takes must not depend on one: render one skeleton per branch."""

    def __init__(self, template, *, context, language=None):
        self.template = template
        with translation.override(language or translation.get_language()):
            context = {"SITE_NAME": gettext(settings.SITE_NAME), "SITE_URL": settings.SITE_URL, **context}
            self.subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            self.text = render_to_string(f"{template}.txt", context)
            self.html = render_to_string(f"{template}.html", context)

    def fill(self, **values):
        def plain(match):
            return str(values[match.group(1)])

        def escaped(match):
            return escape(values[match.group(1)])

        subject = " ".join(_MARKER.sub(plain, self.subject).split())
        return subject, _MARKER.sub(plain, self.text), _MARKER.sub(escaped, self.html)


def queue_many(mails, *, template=""):
    """Queue many mails already written, in the caller's transaction: `mails` is a list of dicts with `key`,
    `to`, `subject`, `text`, `html`. One INSERT; a key already queued is left as it is (the same event
    queues one mail however often a job runs). Once the transaction commits, one task sends the batch.
    Returns how many keys were new."""
    if not mails:
        return 0
    now = timezone.now()
    keys = [mail["key"] for mail in mails]
    known = set(Mail.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = [Mail(key=mail["key"], to=mail["to"], subject=mail["subject"][:300], text=mail["text"],
                 html=mail.get("html", ""), template=template[:100], next_attempt_at=now)
            for mail in mails if mail["key"] not in known]
    Mail.objects.bulk_create(rows, ignore_conflicts=True)
    pks = list(Mail.objects.filter(key__in=[row.key for row in rows], status=Mail.Status.PENDING)
               .values_list("pk", flat=True))
    if pks:
        transaction.on_commit(partial(_enqueue_many, pks))
    return len(rows)


def _enqueue_many(pks):
    from volnet.mailer import tasks

    try:
        tasks.deliver_many.delay(pks)
    except Exception:  # the broker is down: the mails are in the outbox, and send_due takes them later
        logger.exception("could not queue %s mails; send_due will send them", len(pks))


def _enqueue(pk):
    from volnet.mailer import tasks

    try:
        tasks.deliver.delay(pk)
    except Exception:  # the broker is down: the mail is in the outbox, and send_due takes it later
        logger.exception("could not queue mail %s; send_due will send it", pk)


def backoff(attempts):
    """Minutes to wait after `attempts` failed sends: 1, 2, 4, … at most 60."""
    return min(2 ** max(attempts - 1, 0), 60)


def message_for(mail):
    host = urllib.parse.urlsplit(settings.SITE_URL).hostname or "volnet.local"
    digest = hashlib.sha256(mail.key.encode()).hexdigest()[:24]
    message = EmailMultiAlternatives(mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [mail.to],
                                     headers={"Message-ID": f"<{mail.pk}.{digest}@{host}>"})
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def lease():
    """Seconds a sender may take: far longer than the mail server's timeout (each SMTP step has its own)."""
    return settings.MAIL_SEND_LEASE


def _claim(pk, now):
    """The pending mail `pk`, claimed for this sender; or the seconds until another sender's claim runs out
    (an int), or None when there is nothing to send (sent, given up, gone)."""
    with transaction.atomic():
        mail = Mail.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if mail is None:
            return 5 if Mail.objects.filter(pk=pk, status=Mail.Status.PENDING).exists() else None  # being claimed
        if mail.status != Mail.Status.PENDING:
            return None
        if mail.claimed_until and mail.claimed_until > now:
            return int((mail.claimed_until - now).total_seconds()) + 1
        mail.attempts += 1
        mail.claimed_until = now + dt.timedelta(seconds=lease())
        mail.save(update_fields=["attempts", "claimed_until"])
        return mail


def send_one(pk):
    """Send one pending mail. Returns None when it was sent or needs nothing (sent already, given up, gone), else
    the seconds until it should be tried again (the server failed, or another sender holds it)."""
    mail = _claim(pk, timezone.now())
    if not isinstance(mail, Mail):
        return mail
    try:
        message_for(mail).send()
    except (OSError, smtplib.SMTPException) as error:
        mail.last_error = f"{type(error).__name__}: {error}"[:500]
        wait = None
        if _permanent(error) or mail.attempts >= MAX_ATTEMPTS:
            mail.status = Mail.Status.FAILED
            logger.error("mail %s to %s given up after %s attempts: %s", pk, mail.to, mail.attempts, error)
        else:
            wait = backoff(mail.attempts) * 60
            mail.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
            logger.warning("mail %s to %s failed (attempt %s), again in %s min: %s", pk, mail.to,
                           mail.attempts, wait // 60, error)
        mail.claimed_until = None
        mail.save(update_fields=["last_error", "status", "next_attempt_at", "claimed_until"])
        return wait
    mail.status, mail.sent_at, mail.claimed_until = Mail.Status.SENT, timezone.now(), None
    mail.save(update_fields=["status", "sent_at", "claimed_until"])
    return None


def send_due(now=None):
    """Send what is due (a retry whose time has come, a mail whose task was lost) and forget old sent mail;
    at most BATCH of each per run. Returns (sent or tried, forgotten)."""
    now = now or timezone.now()
    due = list(Mail.objects.filter(status=Mail.Status.PENDING, next_attempt_at__lte=now - LOST_AFTER)
               .exclude(claimed_until__gt=now).order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH])
    for pk in due:
        send_one(pk)
    old = list(Mail.objects.filter(status=Mail.Status.SENT, sent_at__lt=now - KEEP_SENT)
               .values_list("pk", flat=True)[:BATCH])
    forgotten, _kinds = Mail.objects.filter(pk__in=old).delete()
    return len(due), forgotten
