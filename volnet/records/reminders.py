"""Scheduled reminders of the records (beat, volnet.records.tasks): insurance about to end.

Idempotent: each reminder's key names the person, the policy and its end date, so a run repeated (or a day's
runs overlapping) tells nobody twice. Bounded: the rows are read as tuples in chunks (`values_list` +
`iterator(chunk_size)`), never a whole table of model objects, so memory stays flat at national size."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef
from django.urls import reverse
from django.utils import timezone

from volnet.lib import rocdate
from volnet.notifications.models import Kind
from volnet.notifications.services import notify
from volnet.records.models import InsuranceCoverage, InsurancePolicy
from volnet.units.models import StaffRole

INSURANCE_DAYS = 30
CHUNK = 2000


def _person(pk, name, email):
    """A user for notify() without loading the row: notify needs the key, the name and the address."""
    return get_user_model()(pk=pk, name=name, email=email)


def ending_coverages(today, days=INSURANCE_DAYS):
    """(volunteer id, name, email, policy id, end date) of coverages whose policy ends within `days`
    of `today` and after which the volunteer has no policy in force the next day."""
    horizon = today + dt.timedelta(days=days)
    next_day = ExpressionWrapper(OuterRef("policy__end_date") + dt.timedelta(days=1), output_field=DateField())
    covered_after = InsuranceCoverage.objects.filter(
        volunteer_id=OuterRef("volunteer_id"), policy__start_date__lte=next_day,
        policy__end_date__gt=OuterRef("policy__end_date"))
    return (InsuranceCoverage.objects.filter(policy__end_date__gte=today, policy__end_date__lte=horizon)
            .exclude(Exists(covered_after)).order_by("pk")
            .values_list("volunteer_id", "volunteer__name", "volunteer__email", "policy_id", "policy__end_date"))


def remind_insurance_ending(today=None, days=INSURANCE_DAYS, chunk=CHUNK):
    """Tell each volunteer whose insurance ends within `days` (once per policy and end date), and the staff of
    each unit whose policy ends (once per policy). Returns how many notifications were new."""
    today = today or timezone.localdate()
    link = reverse("portal:services") + "?tab=insurance"
    new = 0
    for pk, name, email, policy_id, end in ending_coverages(today, days).iterator(chunk_size=chunk):
        _note, created = notify(_person(pk, name, email), Kind.INSURANCE_ENDING,
                                key=f"insurance-ending:{pk}:{policy_id}:{end.isoformat()}",
                                params={"who": name, "until": rocdate.format(end)}, link=link)
        new += created
    horizon = today + dt.timedelta(days=days)
    policies = (InsurancePolicy.objects.filter(end_date__gte=today, end_date__lte=horizon).order_by("pk")
                .values_list("pk", "unit_id", "unit__name", "end_date"))
    for policy_id, unit_id, unit, end in policies.iterator(chunk_size=chunk):
        staff = (StaffRole.objects.filter(unit_id=unit_id, is_active=True, status=StaffRole.Status.ACTIVE)
                 .values_list("user_id", "user__name", "user__email").distinct())
        for pk, name, email in staff:
            _note, created = notify(_person(pk, name, email), Kind.INSURANCE_ENDING,
                                    key=f"insurance-ending-unit:{pk}:{policy_id}:{end.isoformat()}",
                                    params={"who": unit, "until": rocdate.format(end)},
                                    link=reverse("backoffice:insurance"))
            new += created
    return new
