"""notify(): the one way an event reaches a person, as a 通知 in the site and, where they want it, one mail.

Call it inside the transaction of the event, with a `key` naming the event ("hours-approved:123:2026-12-05T…"):
the same key raised twice (a double submit, a scheduled job run again, a retried task) is one notification and
at most one mail; a rolled-back event leaves neither. The mail goes through the outbox (volnet.mailer), so the
page never waits on the mail server."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from volnet.mailer import outbox
from volnet.notifications.models import SECURITY_KINDS, Kind, MailOptOut, Notification


def wants_mail(person, kind):
    if kind in SECURITY_KINDS:
        return True
    return not MailOptOut.objects.filter(person=person, kind=kind).exists()


def mail_key(key):
    return f"notice:{key}"


def notify(person, kind, *, key, params=None, link="", mail=True, template=None, context=None, address=None):
    """Write the notification of event `key` for `person` (once) and queue its mail where an address is on file
    and the person has not turned this kind's mail off (a security kind is always mailed).

    `template`/`context`: a mail of its own for the event (default: the notification's sentence and link);
    `address`: where the mail goes when not the address on file (a changed address is told at the old one).
    Returns (notification, created)."""
    kind = Kind(kind)
    with transaction.atomic():
        note, created = Notification.objects.get_or_create(
            key=key[:200], defaults={"person": person, "kind": kind, "params": params or {}, "link": link[:300]})
        to = person.email if address is None else address
        if created and mail and to and wants_mail(person, kind):
            context = {"user": person, "notification": note, "text": note.text, "link": _absolute(link),
                       **(context or {})}
            outbox.queue_mail(template or "notifications/mail/notice", to=to, context=context,
                              language=settings.LANGUAGE_CODE, key=mail_key(key)[:200])
    return note, created


def _absolute(link):
    if not link or "://" in link:
        return link
    return settings.SITE_URL.rstrip("/") + link


def unread_count(person):
    return Notification.objects.filter(person=person).unread().count()


def unread_for(request):
    """The signed-in person's unread count, counted once per request (the header, a page cache's key)."""
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(request.user)
    return request._unread_notifications


def open_notification(person, pk):
    """The person's notification `pk`, marked read (once); None when it is not theirs."""
    note = Notification.objects.filter(person=person, pk=pk).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def mark_all_read(person):
    return Notification.objects.filter(person=person).unread().update(read_at=timezone.now())


def mail_preferences(person):
    """[(kind, label, on, fixed)] for every kind, security kinds fixed on."""
    off = set(MailOptOut.objects.filter(person=person).values_list("kind", flat=True))
    return [(kind, label, kind in SECURITY_KINDS or kind not in off, kind in SECURITY_KINDS)
            for kind, label in Kind.choices]


@transaction.atomic
def set_mail_preferences(person, wanted):
    """Mail on for the kinds in `wanted`, off for the others; security kinds stay on whatever is asked."""
    wanted = {Kind(kind) for kind in wanted if kind in Kind.values}
    off = {kind for kind in Kind.values if kind not in wanted and kind not in SECURITY_KINDS}
    MailOptOut.objects.filter(person=person).exclude(kind__in=off).delete()
    have = set(MailOptOut.objects.filter(person=person).values_list("kind", flat=True))
    MailOptOut.objects.bulk_create([MailOptOut(person=person, kind=kind) for kind in sorted(off - have)])
