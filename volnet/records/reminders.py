"""Scheduled reminders of the records (beat, volnet.records.tasks): insurance about to end.

Idempotent: each reminder's key names the person, the policy and its end date, so a run repeated (or a day's
runs overlapping) tells nobody twice. Set-based and bounded: the due rows are one query read as tuples a batch at
a time (`iterator(chunk_size)`: a server-side cursor on PostgreSQL, never a table of model objects), and each
batch is written with `notify_many` (one INSERT of notifications and one of mails per batch, the mail rendered
once), so time grows with the number of people told and memory does not."""

import datetime as dt
import itertools

from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef
from django.urls import reverse
from django.utils import timezone

from volnet.lib import rocdate
from volnet.notifications.models import Kind
from volnet.notifications.services import Notice, notify_many
from volnet.records.models import InsuranceCoverage, InsurancePolicy
from volnet.units import access

INSURANCE_DAYS = 30
BATCH = 2000


def ending_coverages(today, days=INSURANCE_DAYS):
    """(volunteer id, name, email, policy id, end date) of coverages whose policy ends within
    `days` of `today` and after which the volunteer has no policy in force the next day."""
    horizon = today + dt.timedelta(days=days)
    next_day = ExpressionWrapper(OuterRef("policy__end_date") + dt.timedelta(days=1), output_field=DateField())
    covered_after = InsuranceCoverage.objects.filter(
        volunteer_id=OuterRef("volunteer_id"), policy__start_date__lte=next_day,
        policy__end_date__gt=OuterRef("policy__end_date"))
    return (InsuranceCoverage.objects.filter(policy__end_date__gte=today, policy__end_date__lte=horizon)
            .exclude(Exists(covered_after))
            .order_by()
            .values_list("volunteer_id", "volunteer__name", "volunteer__email", "policy_id", "policy__end_date"))


def _volunteers(today, days, batch):
    link = reverse("portal:services") + "?tab=insurance"
    for person, name, email, policy_id, end in ending_coverages(today, days).iterator(chunk_size=batch):
        yield Notice(person, name, email, key=f"insurance-ending:{person}:{policy_id}:{end.isoformat()}",
                     params={"who": name, "until": rocdate.format(end)}, link=link)


def _staff(today, days, batch):
    link = reverse("backoffice:insurance")
    policies = InsurancePolicy.objects.filter(end_date__gte=today, end_date__lte=today + dt.timedelta(days=days))
    rows = policies.order_by().values_list("pk", "unit_id", "unit__name", "end_date").iterator(chunk_size=batch)
    while chunk := list(itertools.islice(rows, batch)):
        staff = access.unit_staff_in_force({unit_id for _pk, unit_id, _name, _end in chunk})
        for policy_id, unit_id, unit, end in chunk:
            for person, name, email in staff[unit_id]:
                yield Notice(person, name, email, key=f"insurance-ending-unit:{person}:{policy_id}:{end.isoformat()}",
                             params={"who": unit, "until": rocdate.format(end)}, link=link)


def remind_insurance_ending(today=None, days=INSURANCE_DAYS, batch=BATCH):
    """Tell each volunteer whose insurance ends within `days` (once per policy and end date), and the staff of
    each unit whose policy ends (once per policy). Returns how many notifications were new."""
    today = today or timezone.localdate()
    return (notify_many(Kind.INSURANCE_ENDING, _volunteers(today, days, batch), batch=batch)
            + notify_many(Kind.INSURANCE_ENDING, _staff(today, days, batch), batch=batch))
