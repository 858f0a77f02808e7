"""The entries a unit keeps (service hours, training, insurance, other items, awards): list, add,
correct, delete and the history of each. One set of views serves every kind (see kinds.py).

A unit sees and corrects only its own entries: every lookup starts from `access.managed_records`.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from volnet.accounts.queries import people_filter
from volnet.audit import actions
from volnet.audit.models import AuditEntry
from volnet.backoffice.kinds import KINDS
from volnet.backoffice.utils import date_filter
from volnet.http import int_or_none
from volnet.paging import paginate
from volnet.records.forms import DeleteForm
from volnet.records.models import ServiceRecord
from volnet.records.services import RecordError
from volnet.staffweb import current_unit, staff_required
from volnet.units import access
from volnet.units.models import Membership


def members_of(user, unit, active_only=True, asked=False):
    """The people (not memberships) serving in a unit the user manages; `asked`: and those the unit asked
    to join who have not answered yet (the form shows their names masked)."""
    memberships = access.unit_members(user, unit, active_only=active_only)
    if asked:
        memberships = memberships | access.unit_requests(user, unit).filter(status=Membership.Status.PENDING)
    return get_user_model().objects.filter(pk__in=memberships.values("volunteer_id"))


def _kind(slug):
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def _entry(request, kind, record_id):
    return get_object_or_404(access.managed_records(request.user, kind.model), pk=record_id)


def _volunteer_filter(kind, value):
    prefix = "volunteer__" if kind.has_volunteer else "coverages__volunteer__"
    if kind.while_asked:
        # An entry about someone who has not accepted the unit is found by ID number, never by a name.
        return people_filter(value, prefix, names=kind.model.CONSENTED)
    return people_filter(value, prefix)


@staff_required
@require_http_methods(["GET"])
def record_list(request, kind):
    kind = _kind(kind)
    unit = current_unit(request)
    records = access.managed_records(request.user, kind.model).filter(unit=unit)
    q = (request.GET.get("q") or "").strip()
    if q:
        records = records.filter(_volunteer_filter(kind, q))
    volunteer = None
    volunteer_id = int_or_none(request.GET.get("volunteer"))
    if volunteer_id:
        volunteer = get_object_or_404(access.managed_volunteers(request.user), pk=volunteer_id)
        records = records.filter(**{"volunteer" if kind.has_volunteer else "coverages__volunteer": volunteer})
    start, end, date_error = date_filter(request)
    if start:
        records = records.filter(**{f"{kind.end_field or kind.start_field}__gte": start})
    if end:
        records = records.filter(**{f"{kind.start_field}__lte": end})
    status = None
    if kind.model is ServiceRecord:
        status = request.GET.get("status") or ServiceRecord.Status.APPROVED
        if status not in ServiceRecord.Status.values:
            status = ServiceRecord.Status.APPROVED
        records = records.filter(status=status)
    if kind.has_volunteer:
        records = records.select_related("volunteer", "registrant")
    else:
        records = records.annotate(insured=Count("coverages", distinct=True)).select_related("registrant")
    records = records.distinct().order_by(*kind.order)
    totals = None
    if kind.model is ServiceRecord:
        totals = records.order_by().aggregate(hours=Sum("hours"), count=Count("id"))
    context = {
        "menu": kind.menu,
        "kind": kind,
        "unit": unit,
        "page": paginate(request, records),
        "q": q,
        "volunteer": volunteer,
        "date_error": date_error,
        "status": status,
        "statuses": ServiceRecord.Status.choices,
        "totals": totals,
        "pending_count": access.managed_records(request.user, ServiceRecord)
        .filter(unit=unit, status=ServiceRecord.Status.PENDING).count() if kind.model is ServiceRecord else 0,
    }
    return render(request, f"backoffice/records/{kind.slug}_list.html", context)


def _after_save(request, kind, unit):
    if "add_another" in request.POST:
        return redirect(reverse(f"backoffice:{kind.slug}_add") + f"?unit={unit.pk}")
    return redirect(reverse(f"backoffice:{kind.list_name}") + f"?unit={unit.pk}")


@staff_required
@require_http_methods(["GET", "POST"])
def record_add(request, kind):
    kind = _kind(kind)
    unit = current_unit(request)
    volunteers = members_of(request.user, unit, asked=kind.while_asked)
    initial = {}
    chosen = int_or_none(request.GET.get("volunteer"))
    if chosen and volunteers.filter(pk=chosen).exists():
        if kind.has_volunteer:
            initial["volunteer"] = chosen
        else:
            initial["volunteers"] = [chosen]
    form = kind.form_class(request.POST or None, unit=unit, volunteers=volunteers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kind.add(actor=request.user, unit=unit, request=request, **form.values())
        except RecordError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, str(kind.words.added))
            return _after_save(request, kind, unit)
    return render(request, "backoffice/records/form.html", {
        "menu": kind.menu, "kind": kind, "unit": unit, "form": form, "adding": True,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def record_edit(request, kind, record_id):
    kind = _kind(kind)
    record = _entry(request, kind, record_id)
    unit = record.unit
    volunteers = members_of(request.user, unit, active_only=False, asked=kind.while_asked)
    form = kind.form_class(request.POST or None, unit=unit, volunteers=volunteers, **{kind.record_kwarg: record})
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(record, actor=request.user, request=request, **form.values())
        except RecordError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, str(kind.words.corrected))
            return redirect(reverse(f"backoffice:{kind.list_name}") + f"?unit={unit.pk}")
    return render(request, "backoffice/records/form.html", {
        "menu": kind.menu, "kind": kind, "unit": unit, "form": form, "record": record, "adding": False,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind, record_id):
    kind = _kind(kind)
    record = _entry(request, kind, record_id)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind.delete(record, actor=request.user, reason=form.cleaned_data["reason"].strip(), request=request)
        except RecordError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(kind.words.deleted))
        return redirect(reverse(f"backoffice:{kind.list_name}") + f"?unit={record.unit_id}")
    return render(request, "backoffice/records/delete.html", {
        "menu": kind.menu, "kind": kind, "unit": record.unit, "form": form, "record": record,
        "summary": kind.summary(record),
    })


@staff_required
@require_http_methods(["GET"])
def record_history(request, kind, record_id):
    """Who entered, corrected or deleted this entry, when, and what it said before and after.

    Deleted entries keep their history: it is read from the audit log of the units the user manages."""
    kind = _kind(kind)
    record = access.managed_records(request.user, kind.model).filter(pk=record_id).first()
    entries = AuditEntry.objects.filter(
        Q(unit__in=access.managed_units(request.user)), object_type=kind.object_type, object_id=str(record_id),
    ).select_related("actor").order_by("at", "id")
    entries = list(entries)
    if record is None and not entries:
        raise Http404(_("找不到這筆紀錄。"))
    for entry in entries:
        entry.label = actions.label(entry.action)
        entry.rows = actions.rows(entry.changes)
    return render(request, "backoffice/records/history.html", {
        "menu": kind.menu, "kind": kind, "record": record, "entries": entries, "record_id": record_id,
        "summary": kind.summary(record) if record else "",
    })
