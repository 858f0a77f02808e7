"""One line a person recognises an entry by (ROC dates, hours as the manual prints them): the back office's record
pages and history, and what a correction request keeps of the record it is about."""

from django.utils.translation import gettext as _

from volnet.lib import hours, rocdate


def _span(start, end):
    return rocdate.format(start) if not end or end == start else rocdate.format_range(start, end)


def _service(r):
    return _("%(item)s／%(content)s／%(dates)s／%(hours)s 小時") % {
        "item": r.service_item, "content": r.content, "dates": _span(r.start_date, r.end_date),
        "hours": hours.format_hours(r.hours),
    }


def _training(r):
    return _("%(kind)s／%(course)s／%(dates)s／%(duration)s") % {
        "kind": r.get_kind_display(), "course": r.course, "dates": _span(r.start_date, r.end_date),
        "duration": hours.format_minutes(r.minutes),
    }


def _insurance(r):
    return _("%(insurer)s／保單 %(number)s／%(dates)s") % {
        "insurer": r.insurer, "number": r.policy_number, "dates": _span(r.start_date, r.end_date),
    }


def _other_item(r):
    return _("%(title)s／%(dates)s") % {"title": r.title, "dates": _span(r.start_date, r.end_date)}


def _award(r):
    name = f"{r.name} {r.level}" if r.level else r.name
    return _("%(name)s／%(date)s") % {"name": name, "date": rocdate.format(r.awarded_on)}


def _book(r):
    return _("紀錄冊 %(number)s／%(status)s／%(date)s") % {
        "number": r.number, "status": r.get_status_display(), "date": rocdate.format(r.issued_on)}


def _certificate(r):
    return _("績效證明書 %(number)s／%(hours)s 小時／%(date)s") % {
        "number": r.number, "hours": hours.format_hours(r.hours), "date": rocdate.format(r.issued_on)}


SUMMARIES = {
    "service": _service,
    "training": _training,
    "insurance": _insurance,
    "other_item": _other_item,
    "award": _award,
    "book": _book,
    "certificate": _certificate,
}


def summary(slug, record):
    return SUMMARIES[slug](record)
