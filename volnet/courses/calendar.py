"""A session as an iCalendar file (RFC 5545): one VEVENT with the course's title, subject, place and contact, in
Asia/Taipei written as UTC. Written by hand: the format is a few lines, escaped and folded at 75 octets."""

import datetime as dt

from django.conf import settings
from django.urls import reverse


def _escape(text):
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    data, out, limit = line.encode(), [], 75
    while len(data) > limit:
        cut = limit
        while cut and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        out.append(data[:cut])
        data, limit = b" " + data[cut:], 75
    out.append(data)
    return b"\r\n".join(out)


def _utc(moment):
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(session, *, online_url="", now=None):
    """The bytes of a .ics file for one session. `online_url`: the class link, for those enrolled only."""
    course = session.course
    now = now or dt.datetime.now(dt.UTC)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "volnet"
    where = course.place or online_url or course.online_url
    details = [course.kind_label, course.organiser_name, session.subject]
    if online_url:
        details.append(online_url)
    contact = " ".join(part for part in (course.contact_name, course.contact_phone, course.contact_email) if part)
    if contact:
        details.append(contact)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//VolNet//courses//ZH-TW", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:course-{course.pk}-session-{session.pk}@{host}",
        f"DTSTAMP:{_utc(now)}", f"DTSTART:{_utc(session.start)}", f"DTEND:{_utc(session.end)}",
        f"SUMMARY:{_escape(f'{course.title}：{session.subject}')}",
        f"LOCATION:{_escape(where)}",
        f"DESCRIPTION:{_escape(chr(10).join(details))}",
        f"URL:{settings.SITE_URL.rstrip('/')}{reverse('courses:detail', args=[course.pk])}",
        "STATUS:CANCELLED" if course.is_cancelled else "STATUS:CONFIRMED",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return b"\r\n".join(_fold(line) for line in lines) + b"\r\n"
