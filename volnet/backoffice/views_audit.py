"""稽核紀錄: who viewed or changed whose personal data, and when. Authority staff read the log of every
unit under them; unit staff read their own units' entries. Filters: unit, volunteer, action, dates."""

import datetime as dt

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from volnet.accounts.queries import people_filter
from volnet.audit import actions
from volnet.audit.queries import visible_entries
from volnet.backoffice.utils import date_filter
from volnet.http import int_or_none
from volnet.paging import paginate
from volnet.staffweb import staff_required
from volnet.units import access


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@staff_required
@require_http_methods(["GET"])
def audit_log(request):
    units = list(access.managed_units(request.user).order_by("code", "name"))
    entries = visible_entries(request.user)
    unit_id = int_or_none(request.GET.get("unit_filter"))
    if unit_id:
        entries = entries.filter(unit_id=unit_id if any(u.pk == unit_id for u in units) else -1)
    who = (request.GET.get("volunteer") or "").strip()
    known = access.managed_volunteers(request.user)
    if who:
        # Someone who has not accepted any of the user's units is found by ID number, never by a name.
        entries = entries.filter(people_filter(who, "volunteer__", names=Q(volunteer__in=known)))
    person = None
    person_id = int_or_none(request.GET.get("person"))
    if person_id:
        person = access.managed_volunteers(request.user).filter(pk=person_id).first()
        entries = entries.filter(volunteer=person) if person else entries.none()
    action = request.GET.get("action") or ""
    if action:
        entries = entries.filter(action=action)
    start, end, date_error = date_filter(request)
    if start:
        entries = entries.filter(at__gte=_local_midnight(start))
    if end:
        entries = entries.filter(at__lt=_local_midnight(end + dt.timedelta(days=1)))
    entries = entries.select_related("actor", "volunteer", "unit").order_by("-at", "-id")
    page = paginate(request, entries)
    named = set(known.filter(pk__in={entry.volunteer_id for entry in page}).values_list("pk", flat=True))
    for entry in page:
        entry.label = actions.label(entry.action)
        entry.rows = actions.rows(entry.changes)
        # A person who has not accepted the unit is named masked (domain.md §9.12), as actor too.
        entry.masked = entry.volunteer_id is not None and entry.volunteer_id not in named
    return render(request, "backoffice/audit.html", {
        "menu": "audit",
        "units": units,
        "unit_id": unit_id,
        "who": who,
        "person": person,
        "action": action,
        "action_choices": actions.choices(),
        "date_error": date_error,
        "page": page,
        "is_authority": access.is_authority_staff(request.user),
    })
