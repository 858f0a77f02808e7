"""志工管理: find, add by ID number, look at, correct, reset the password of, and end the membership of
the unit's volunteers. Lists mask ID numbers; the full number is on the detail page only, and every
look at it is written to the audit log.

Someone who already has an account is asked to join (domain.md §9.12): until they accept, the list shows
their masked name only and no page shows their contact data. Whether the unit may change their account
(password, e-mail, phone…) is `units.access.sign_in_refusal`'s answer; these views only pass it on."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from volnet.accounts.queries import people_filter
from volnet.audit import log
from volnet.audit.actions import label as action_label
from volnet.audit.models import AuditEntry
from volnet.backoffice.forms import ContactForm, EndMembershipForm, EnrolForm, LookupForm, NewVolunteerForm
from volnet.backoffice.kinds import KINDS
from volnet.lib import masking
from volnet.paging import paginate
from volnet.people import services as people
from volnet.records.models import InsuranceCoverage
from volnet.staffweb import current_unit, staff_required
from volnet.units import access
from volnet.units.models import Membership

TEMPORARY_PASSWORD_KEY = "backoffice_temporary_password"


STATUSES = [status for status, _label in Membership.Status.choices]


@staff_required
@require_http_methods(["GET"])
def volunteer_list(request):
    unit = current_unit(request)
    status = request.GET.get("status") or "active"
    if status not in (*STATUSES, "all"):
        status = "active"
    q = (request.GET.get("q") or "").strip()
    everyone = access.unit_members(request.user, unit, active_only=False) | access.unit_requests(request.user, unit)
    memberships = everyone.select_related("volunteer")
    if status != "all":
        memberships = memberships.filter(status=status)
    if q:
        # Someone who has not accepted the unit is found by ID number only, never by a name it may not see.
        memberships = memberships.filter(people_filter(q, "volunteer__", names=Q(status__in=Membership.ACCEPTED)))
    memberships = memberships.order_by("status", "volunteer_number", "volunteer__name", "pk")
    counts = dict(everyone.values_list("status").annotate(n=Count("id")).order_by())
    return render(request, "backoffice/volunteers/list.html", {
        "menu": "volunteers", "unit": unit, "page": paginate(request, memberships), "q": q, "status": status,
        "counts": counts,
    })


def _lookup_context(unit, form):
    return {"menu": "volunteers", "unit": unit, "form": form}


@staff_required
@require_http_methods(["GET", "POST"])
def volunteer_add(request):
    """Step 1: the ID number. Step 2: join an existing account, or create one for a new person."""
    unit = current_unit(request)
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "enrol":
        return _enrol(request, unit)
    if step == "create":
        return _create(request, unit)
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["national_id"]
        person = people.find_person(number)
        if person is None:
            new_form = NewVolunteerForm(initial={"national_id": number, "delivery": "show"})
            return render(request, "backoffice/volunteers/add_new.html",
                          {**_lookup_context(unit, new_form), "national_id": number})
        return _render_existing(request, unit, person, EnrolForm(initial={"national_id": number}))
    return render(request, "backoffice/volunteers/add.html", _lookup_context(unit, form))


def _render_existing(request, unit, person, form):
    """The account found: masked name and ID only (the person has not accepted the unit), whether they
    serve in it already or were asked, and whether the account is an unverified sign-up."""
    open_ = Membership.objects.open().filter(volunteer=person, unit=unit).first()
    return render(request, "backoffice/volunteers/add_existing.html", {
        **_lookup_context(unit, form), "person": person,
        "already": open_ if open_ and open_.is_active else None,
        "asked": open_ if open_ and not open_.is_active else None,
        "unverified": person.is_unverified_sign_up,
    })


def _enrol(request, unit):
    form = EnrolForm(request.POST)
    if not form.is_valid():
        if "national_id" in form.errors:
            messages.error(request, _("身分證號碼有誤，請重新輸入。"))
            return redirect(reverse("backoffice:volunteer_add") + f"?unit={unit.pk}")
        person = people.find_person(form.data.get("national_id"))
        return _render_existing(request, unit, person, form)
    person = people.find_person(form.cleaned_data["national_id"])
    if person is None:
        messages.error(request, _("找不到這個帳號，請重新輸入身分證號碼。"))
        return redirect(reverse("backoffice:volunteer_add") + f"?unit={unit.pk}")
    try:
        people.request_membership(actor=request.user, unit=unit, person=person,
                                  joined_on=form.cleaned_data["joined_on"],
                                  volunteer_number=form.cleaned_data["volunteer_number"], request=request)
    except people.PeopleError as error:
        form.add_error(None, error.message)
        return _render_existing(request, unit, person, form)
    messages.success(request,
                     _("已向 %(name)s 送出加入 %(unit)s 的邀請。志工在「我的檔案」同意後，才會成為本單位的志工；"
                                "同意之前，您仍可登錄服務時數與教育訓練。") % {
        "name": masking.mask_name(person.name), "unit": unit.label})
    return redirect(reverse("backoffice:volunteers") + f"?unit={unit.pk}&status=pending")


def _create(request, unit):
    form = NewVolunteerForm(request.POST)
    number = form.data.get("national_id", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            person, _membership, password = people.create_volunteer(
                actor=request.user, unit=unit, national_id=data["national_id"], name=data["name"],
                birth_date=data["birth_date"], sex=data["sex"], email=data["email"], phone=data["phone"],
                joined_on=data["joined_on"], volunteer_number=data["volunteer_number"], request=request,
            )
        except people.PeopleError as error:
            if error.code == "exists":
                messages.info(request, error.message)
                return _render_existing(request, unit, people.find_person(data["national_id"]),
                                        EnrolForm(initial={"national_id": data["national_id"]}))
            form.add_domain_error(error)
        else:
            messages.success(request,
                             _("已為 %(name)s 建立帳號並加入 %(unit)s。") % {"name": person.name, "unit": unit.label})
            if data["delivery"] == "mail":
                try:
                    masked = people.send_reset_link(actor=request.user, unit=unit, person=person, request=request)
                except people.PeopleError as error:
                    messages.warning(request, _("%(problem)s 請改用下方的臨時密碼。") % {"problem": error.message})
                else:
                    messages.info(request, _("設定密碼的連結已寄到 %(address)s。") % {"address": masked})
                    return redirect("backoffice:volunteer", volunteer_id=person.pk)
            request.session[TEMPORARY_PASSWORD_KEY] = {"volunteer": person.pk, "password": password}
            return redirect("backoffice:volunteer_temporary_password", volunteer_id=person.pk)
    return render(request, "backoffice/volunteers/add_new.html",
                  {**_lookup_context(unit, form), "national_id": number})


def _person(request, volunteer_id):
    """Someone who accepted a unit the user manages (or was created by it); 404 for anyone else."""
    return get_object_or_404(access.managed_volunteers(request.user), pk=volunteer_id)


def _log_view(request, person, unit, page):
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("backoffice.volunteer.viewed", actor=request.user, volunteer=person, unit=unit, obj=person,
               changes={"頁面": ["", page]}, request=request)


@never_cache
@staff_required
@require_http_methods(["GET"])
def volunteer_detail(request, volunteer_id):
    person = _person(request, volunteer_id)
    unit = current_unit(request)
    memberships = access.managed_memberships(request.user).filter(volunteer=person).select_related("unit")
    if not any(m.unit_id == unit.pk for m in memberships):
        unit = memberships[0].unit  # the person serves in another of the user's units: log it there
    _log_view(request, person, unit, "志工資料")  # zh-only: the page name is stored in the audit log
    refusal = access.sign_in_refusal(request.user, person)
    today = timezone.localdate()
    summaries = []
    for kind in KINDS.values():
        records = access.managed_records(request.user, kind.model)
        if kind.has_volunteer:
            records = records.filter(volunteer=person)
        else:
            records = records.filter(coverages__volunteer=person)
        summaries.append({"kind": kind, "count": records.distinct().count()})
    insured = InsuranceCoverage.objects.in_force(today).filter(volunteer=person).exists()
    return render(request, "backoffice/volunteers/detail.html", {
        "menu": "volunteers",
        "unit": unit,
        "person": person,
        "memberships": memberships,
        "summaries": summaries,
        "insured": insured,
        "serving": any(m.is_active for m in memberships),
        "can_edit": refusal is None,
        "refusal": people.refusal_message(refusal) if refusal not in (None, "not_member") else "",
        "history": log_entries_for(request.user, person)[:10],
    })


def log_entries_for(user, person):
    entries = list(
        AuditEntry.objects.filter(volunteer=person, unit__in=access.managed_units(user))
        .exclude(action="backoffice.volunteer.viewed")
        .select_related("actor", "unit")
        .order_by("-at", "-id")[:50]
    )
    for entry in entries:
        entry.label = action_label(entry.action)
    return entries


class Refused(Exception):
    """The unit may not manage this person's account: shown as a page that says why (403)."""

    def __init__(self, person, message):
        super().__init__(message)
        self.person, self.message = person, message


def _refused(request, error):
    return render(request, "backoffice/volunteers/refused.html", {
        "menu": "volunteers", "person": error.person, "message": error.message,
        "accepted": access.managed_volunteers(request.user).filter(pk=error.person.pk).exists(),
    }, status=403)


def _editable(request, volunteer_id):
    """(person, unit) when a unit the user manages may manage the person's account; Refused otherwise
    (also for someone who has not answered the unit's request, so the refusal can say so)."""
    person = get_object_or_404(access.asked_volunteers(request.user), pk=volunteer_id)
    try:
        people.require_sign_in_manager(request.user, person)
    except people.PeopleError as error:
        raise Refused(person, error.message) from None
    unit = current_unit(request)
    serving = access.managed_memberships(request.user).active().filter(volunteer=person)
    if not serving.filter(unit=unit).exists():
        unit = serving.select_related("unit").first().unit
    return person, unit


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, volunteer_id):
    try:
        person, unit = _editable(request, volunteer_id)
    except Refused as error:
        return _refused(request, error)
    initial = {name: getattr(person, name) for name in people.CONTACT_FIELDS}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "GET":
        _log_view(request, person, unit, "修改聯絡資料")  # zh-only: the page name is stored in the audit log
    if request.method == "POST" and form.is_valid():
        try:
            _person_after, changes = people.update_contact(
                actor=request.user, unit=unit, person=person, request=request, **form.cleaned_data
            )
        except people.PeopleError as error:
            form.add_domain_error(error)
        else:
            if changes:
                messages.success(request, _("已更新 %(name)s 的資料（%(fields)s），修改前後已記錄。") % {
                    "name": person.name, "fields": people.changed_field_names(changes)})
            else:
                messages.info(request, _("資料沒有變更。"))
            return redirect("backoffice:volunteer", volunteer_id=person.pk)
    return render(request, "backoffice/volunteers/edit.html", {
        "menu": "volunteers", "unit": unit, "person": person, "form": form,
    })


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def volunteer_password(request, volunteer_id):
    try:
        person, unit = _editable(request, volunteer_id)
    except Refused as error:
        return _refused(request, error)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "link":
                masked = people.send_reset_link(actor=request.user, unit=unit, person=person, request=request)
                messages.success(request,
                                 _("已寄送重設密碼連結到 %(address)s，連結 30 分鐘內有效。") % {"address": masked})
                return redirect("backoffice:volunteer", volunteer_id=person.pk)
            if action == "temporary":
                password = people.set_temporary_password(actor=request.user, unit=unit, person=person,
                                                         request=request)
                request.session[TEMPORARY_PASSWORD_KEY] = {"volunteer": person.pk, "password": password}
                return redirect("backoffice:volunteer_temporary_password", volunteer_id=person.pk)
            messages.error(request, _("請選擇寄送連結或設定臨時密碼。"))
        except people.PeopleError as error:
            messages.error(request, error.message)
    return render(request, "backoffice/volunteers/password.html", {
        "menu": "volunteers", "unit": unit, "person": person,
    })


@never_cache
@staff_required
@require_http_methods(["GET"])
def volunteer_temporary_password(request, volunteer_id):
    """Shows a temporary password exactly once: it is taken out of the session as it is shown."""
    person = _person(request, volunteer_id)
    stored = request.session.get(TEMPORARY_PASSWORD_KEY)
    password = None
    if stored and stored.get("volunteer") == person.pk:
        password = stored["password"]
        del request.session[TEMPORARY_PASSWORD_KEY]
    return render(request, "backoffice/volunteers/temporary_password.html", {
        "menu": "volunteers", "person": person, "password": password,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def membership_end(request, membership_id):
    membership = get_object_or_404(
        access.managed_memberships(request.user).select_related("unit", "volunteer"), pk=membership_id
    )
    form = EndMembershipForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            people.end_membership(actor=request.user, membership=membership,
                                  left_on=form.cleaned_data["left_on"], request=request)
        except people.PeopleError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s 已自 %(unit)s 離隊；單位登錄過的紀錄都會保留。") % {
                "name": membership.volunteer.name, "unit": membership.unit.label})
            return redirect("backoffice:volunteer", volunteer_id=membership.volunteer_id)
    return render(request, "backoffice/volunteers/end.html", {
        "menu": "volunteers", "unit": membership.unit, "membership": membership, "form": form,
    })
