"""notify(): the one way an event reaches a person, as a 通知 in the site and, where they want it, one mail.

Call it inside the transaction of the event, with a `key` naming the event ("hours-approved:123:2026-12-05T…"):
the same key raised twice (a double submit, a scheduled job run again, a retried task) is one notification and
at most one mail; a rolled-back event leaves neither. The mail goes through the outbox (volnet.mailer), so the
page never waits on the mail server.

A scheduled job telling thousands of people at once calls `notify_many` instead: the same notifications and
the same mails, written a batch at a time (one INSERT of notifications, one of mails, the mail template
rendered once per batch)."""

import dataclasses
import itertools
import types

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from volnet.mailer import outbox
from volnet.notifications.models import SECURITY_KINDS, Kind, MailOptOut, Notification
from volnet.notifications.texts import text_of

NOTICE_MAIL = "notifications/mail/notice"
BATCH = 2000


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


@dataclasses.dataclass(frozen=True)
class Notice:
    """One person to tell, for notify_many: what notify() reads of the person (id, name, address on file), the
    event's key, the sentence's params and the link."""

    person_id: int
    name: str
    email: str
    key: str
    params: dict
    link: str = ""


def notify_many(kind, notices, *, batch=BATCH):
    """notify() for many people at once (a scheduled job): each `Notice` whose key is new becomes one
    notification and, where an address is on file and the person has not turned the kind's mail off, one
    mail with the key `notice:<key>`; a key seen before (a run repeated, overlapping runs) tells nobody again.
    `notices` may be any iterable (a generator over batches of rows): it is read `batch` at a time, each batch
    in one transaction, so memory does not grow with the number of people. Returns how many were new."""
    kind = Kind(kind)
    skeletons = {}
    new = 0
    notices = iter(notices)
    while chunk := list(itertools.islice(notices, batch)):
        new += _notify_batch(kind, chunk, skeletons)
    return new


def _skeleton(kind, with_link, skeletons):
    """The notice mail of `kind` rendered once (with and without a link: the template's one branch)."""
    if with_link not in skeletons:
        context = {"user": types.SimpleNamespace(name=outbox.marker("name")),
                   "notification": Notification(kind=kind), "text": outbox.marker("text"),
                   "link": outbox.marker("link") if with_link else ""}
        skeletons[with_link] = outbox.Skeleton(NOTICE_MAIL, context=context, language=settings.LANGUAGE_CODE)
    return skeletons[with_link]


@transaction.atomic
def _notify_batch(kind, notices, skeletons):
    by_key = {notice.key[:200]: notice for notice in notices}
    known = set(Notification.objects.filter(key__in=list(by_key)).values_list("key", flat=True))
    fresh = [(key, notice) for key, notice in by_key.items() if key not in known]
    if not fresh:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [Notification(person_id=notice.person_id, kind=kind, params=notice.params or {}, link=notice.link[:300],
                      key=key, created_at=now) for key, notice in fresh], ignore_conflicts=True)
    mailed = [(key, notice) for key, notice in fresh if notice.email]
    if mailed and kind not in SECURITY_KINDS:
        off = set(MailOptOut.objects.filter(kind=kind, person_id__in={notice.person_id for _key, notice in mailed})
                  .values_list("person_id", flat=True))
        mailed = [(key, notice) for key, notice in mailed if notice.person_id not in off]
    mails = []
    with translation.override(settings.LANGUAGE_CODE):
        for key, notice in mailed:
            subject, text, html = _skeleton(kind, bool(notice.link), skeletons).fill(
                name=notice.name, text=text_of(kind, notice.params), link=_absolute(notice.link))
            mails.append({"key": mail_key(key)[:200], "to": notice.email, "subject": subject, "text": text,
                          "html": html})
    outbox.queue_many(mails, template=NOTICE_MAIL)
    return len(fresh)


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
