"""Scheduled reminder of the honor cards (beat, volnet.honorcard.tasks): a card about to end.

A volunteer whose card ends within 60 days, with no later card of theirs in force (a 換發 or 補發 already
issued), is told once per card; the staff of each unit the volunteer serves in now, who may apply for the
renewal, are told once per unit and end date how many of their volunteers' cards end then (one sentence, not
one per volunteer). Idempotent by key, set-based and bounded as records.reminders: the due rows are one query
read a batch at a time, written with notify_many."""

import datetime as dt
import itertools

from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from volnet.honorcard.models import HonorCard
from volnet.lib import rocdate
from volnet.notifications.models import Kind
from volnet.notifications.services import Notice, notify_many
from volnet.units import access
from volnet.units.models import Membership

CARD_DAYS = 60
BATCH = 2000


def ending_cards(today, days=CARD_DAYS):
    """Cards in force that end within `days` of `today` and after which the volunteer has no later card."""
    later = HonorCard.objects.active().filter(volunteer_id=OuterRef("volunteer_id"), valid_to__gt=OuterRef("valid_to"))
    return (HonorCard.objects.active().filter(valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=days))
            .exclude(Exists(later)).order_by())


def _volunteers(cards, batch):
    link = reverse("honorcard:card")
    rows = cards.values_list("volunteer_id", "volunteer__name", "volunteer__email", "pk", "valid_to")
    for person, name, email, card, end in rows.iterator(chunk_size=batch):
        yield Notice(person, name, email, key=f"card-ending:{person}:{card}:{end.isoformat()}",
                     params={"until": rocdate.format(end)}, link=link)


def ending_by_unit(cards):
    """(unit id, unit name, end date, how many volunteers) for the units the card holders serve in now."""
    ends = Subquery(cards.filter(volunteer_id=OuterRef("volunteer_id")).values("valid_to")[:1])
    return (Membership.objects.active().filter(volunteer_id__in=cards.values("volunteer_id"))
            .annotate(ends=ends).values("unit_id", "unit__name", "ends")
            .annotate(count=Count("volunteer_id", distinct=True)).order_by()
            .values_list("unit_id", "unit__name", "ends", "count"))


def _staff(cards, batch):
    link = reverse("eligibility:query")
    rows = ending_by_unit(cards).iterator(chunk_size=batch)
    while chunk := list(itertools.islice(rows, batch)):
        staff = access.unit_staff_in_force({unit_id for unit_id, _name, _end, _count in chunk})
        for unit_id, unit, end, count in chunk:
            for person, name, email in staff[unit_id]:
                yield Notice(person, name, email, key=f"cards-ending-unit:{person}:{unit_id}:{end.isoformat()}",
                             params={"unit": unit, "count": count, "until": rocdate.format(end)}, link=link)


def remind_cards_ending(today=None, days=CARD_DAYS, batch=BATCH):
    """Tell each volunteer whose honor card ends within `days` (once per card), and the staff of the units they
    serve in (once per unit and end date). Returns how many notifications were new."""
    today = today or timezone.localdate()
    cards = ending_cards(today, days)
    return (notify_many(Kind.CARD_ENDING, _volunteers(cards, batch), batch=batch)
            + notify_many(Kind.CARDS_ENDING, _staff(cards, batch), batch=batch))
