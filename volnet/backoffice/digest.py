"""The staff's daily digest (beat, volnet.backoffice.tasks): what waits for each staff member, one 通知 per
kind and day, through notify (so one mail at most, and none where the person turned the kind's mail off).

- 待審核的填報時數 (APPROVALS_WAITING): self-reported hours pending in the units the person manages (the unit
  itself or one below it, as `units.access` grants) that are in operation (a closed unit approves nothing);
- 待審查的申請 (APPLICATIONS_TO_REVIEW): recruitment applications pending on those units' postings, and for
  authority staff the honor-card and award applications pending at their authority;
- 服務計畫與成果報告 (REPORTS_DUE, "review"): for the staff of a local competent authority, the results reports
  filed and waiting for its review. (A unit's own report due or late is told by reports.reminders.)

The key names the kind, the person and the day, so a second run the same day tells nobody again. The counts
are GROUP BY queries per unit or authority; memory grows with the units and staff that have something
waiting, never with volunteers or records."""

import itertools
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from volnet.honorcard.models import AwardApplication, HonorCardApplication
from volnet.lib.words import join_list
from volnet.notifications.models import Kind
from volnet.notifications.services import Notice, notify_many
from volnet.records.models import ServiceRecord
from volnet.recruitment.models import Application
from volnet.reports.models import ResultsReport
from volnet.units import access
from volnet.units.models import Authority, Unit

BATCH = 2000
NAMES_SHOWN = 3


class _Waiting:
    """What waits for each person: {person: [name, email, {place name: count}, {link: count}]}."""

    def __init__(self):
        self.people = {}

    def add(self, staff, place, count, link):
        for person, name, email in staff:
            entry = self.people.setdefault(person, [name, email, defaultdict(int), defaultdict(int)])
            entry[2][place] += count
            entry[3][link] += count

    def notices(self, kind, day, variant=None):
        for person, (name, email, places, links) in sorted(self.people.items()):
            names = sorted(places, key=lambda place: (-places[place], place))  # most waiting first
            shown = join_list(names[:NAMES_SHOWN]) + ("…" if len(names) > NAMES_SHOWN else "")
            params = {"unit": shown, "count": sum(places.values())}
            if variant:
                params["variant"] = variant
            link = max(links, key=lambda link: (links[link], link))
            yield Notice(person, name, email, key=f"digest:{Kind(kind).value}:{person}:{day.isoformat()}",
                         params=params, link=link)


def _by_unit(waiting, counts, link):
    """Add {unit id: count} to the staff of each unit (and of the units above it)."""
    units = iter(counts.items())
    while chunk := dict(itertools.islice(units, BATCH)):
        names = dict(Unit.objects.filter(pk__in=list(chunk)).values_list("pk", "name"))
        staff = access.unit_staff_in_force(chunk)
        for unit_id, count in chunk.items():
            waiting.add(staff[unit_id], names[unit_id], count, link)


def _by_authority(waiting, counts, link):
    names = dict(Authority.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    staff = access.authority_staff_in_force(counts)
    for authority_id, count in counts.items():
        waiting.add(staff[authority_id], names[authority_id], count, link)


def _counts(rows, field):
    return dict(rows.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def approvals_waiting():
    waiting = _Waiting()
    pending = ServiceRecord.objects.filter(status=ServiceRecord.Status.PENDING, self_reported=True,
                                           unit__in=Unit.objects.taking_new_work())
    _by_unit(waiting, _counts(pending, "unit_id"), reverse("backoffice:approvals"))
    return waiting


def applications_to_review():
    waiting = _Waiting()
    recruiting = Application.objects.filter(status=Application.Status.PENDING,
                                            posting__unit__in=Unit.objects.taking_new_work())
    _by_unit(waiting, _counts(recruiting, "posting__unit_id"), reverse("recruitment:manage"))
    decided = defaultdict(int)
    for model in (HonorCardApplication, AwardApplication):
        for authority_id, count in _counts(model.objects.filter(status=model.Status.PENDING), "authority_id").items():
            decided[authority_id] += count
    _by_authority(waiting, decided, reverse("honorcard:applications"))
    return waiting


def reports_to_review():
    """Filed reports by the authority that reviews them: the unit's local competent authority
    (`units.access.registry_units`)."""
    waiting = _Waiting()
    filed = ResultsReport.objects.filter(status=ResultsReport.Status.FILED,
                                         unit__authority__kind=Authority.Kind.COMPETENT).exclude(
        unit__authority__level=Authority.Level.CENTRAL)
    _by_authority(waiting, _counts(filed, "unit__authority_id"), reverse("reports:review_list"))
    return waiting


def send_digest(today=None):
    """Tell each staff member what waits for them today, one notification per kind; returns {kind: new}."""
    today = today or timezone.localdate()
    return {
        Kind.APPROVALS_WAITING: notify_many(Kind.APPROVALS_WAITING,
                                            approvals_waiting().notices(Kind.APPROVALS_WAITING, today)),
        Kind.APPLICATIONS_TO_REVIEW: notify_many(Kind.APPLICATIONS_TO_REVIEW,
                                                 applications_to_review().notices(Kind.APPLICATIONS_TO_REVIEW, today)),
        Kind.REPORTS_DUE: notify_many(Kind.REPORTS_DUE, reports_to_review().notices(Kind.REPORTS_DUE, today, "review")),
    }
