"""The authority's desk (單位管理: the units of its area) and every unit's 工作人員 page (staff roles).

Tenancy is `units.access`: an authority registers and edits the units of `registry_units`, a unit's staff
page works on `staffweb.current_unit`, and who may appoint whom is `access.may_appoint` (through
`desk.services`). The person's answer to an invitation is posted from 我的檔案 (`invitation_answer`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volnet.accounts.queries import people_filter
from volnet.desk import services
from volnet.desk.forms import EndRoleForm, InviteStaffForm, UnitForm, UnitStatusForm
from volnet.paging import paginate
from volnet.staffweb import authority_required, current_unit, staff_required
from volnet.units import access
from volnet.units.models import StaffRole


@authority_required
def units(request):
    query = request.GET.get("q", "").strip()
    rows = access.registry_units(request.user).select_related("authority", "sector_authority", "successor")
    if query:
        rows = rows.filter(name__icontains=query) | rows.filter(code__icontains=query)
    return render(request, "desk/units.html", {
        "menu": "desk_units", "page": paginate(request, rows.order_by("code")), "query": query,
        "authorities": access.registry_authorities(request.user),
    })


def _unit_form_page(request, unit):
    registry = access.registry_units(request.user)
    authorities = list(access.registry_authorities(request.user))
    if not authorities:
        raise Http404(_("您所屬的機關不登錄運用單位。"))
    authority = unit.authority if unit is not None else authorities[0]
    form = UnitForm(request.POST or None, instance=unit, units=registry)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.UNIT_FIELDS}
        try:
            saved = services.save_unit(actor=request.user, authority=authority, unit=unit, request=request, **fields)
        except services.DeskError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已儲存 %(unit)s。") % {"unit": saved.label})
            return redirect("desk:units")
    return render(request, "desk/unit_form.html", {
        "menu": "desk_units", "form": form, "edited": unit, "authority": authority,
    })


@authority_required
def unit_new(request):
    return _unit_form_page(request, None)


@authority_required
def unit_edit(request, pk):
    return _unit_form_page(request, get_object_or_404(access.registry_units(request.user), pk=pk))


@authority_required
def unit_status(request, pk):
    registry = access.registry_units(request.user)
    unit = get_object_or_404(registry, pk=pk)
    form = UnitStatusForm(request.POST or None, units=registry.exclude(pk=unit.pk),
                          initial={"status": unit.status, "closed_on": unit.closed_on, "successor": unit.successor})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(actor=request.user, unit=unit, request=request, **form.cleaned_data)
        except services.DeskError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已更新 %(unit)s 的狀態；單位的紀錄都會保留。") % {"unit": unit.label})
            return redirect("desk:units")
    return render(request, "desk/unit_status.html", {"menu": "desk_units", "form": form, "edited": unit})


@staff_required
def staff(request):
    unit = current_unit(request)
    roles = access.appointable_roles(request.user, unit)
    form = InviteStaffForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_staff(actor=request.user, unit=unit, request=request, **form.cleaned_data)
        except services.DeskError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已送出邀請；本人在「我的檔案」同意後，角色才生效。"))
            return redirect("desk:staff")
    query = request.GET.get("q", "").strip()
    rows = services.unit_staff(request.user, unit)
    if query:
        rows = rows.filter(people_filter(query, "user__"))
    for row in rows:
        row.may_end = row.status in StaffRole.OPEN and access.may_appoint(request.user, unit, row.role)
    return render(request, "desk/staff.html", {
        "menu": "desk_staff", "unit": unit, "roles": rows, "form": form if roles else None, "query": query,
    })


@staff_required
def staff_end(request, pk):
    staff_role = get_object_or_404(
        StaffRole.objects.filter(unit__in=access.managed_units(request.user)).select_related("unit", "user"), pk=pk)
    form = EndRoleForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_role(actor=request.user, role_id=staff_role.pk, request=request, **form.cleaned_data)
        except services.DeskError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已結束 %(name)s 的%(role)s角色。") % {
                "name": staff_role.user.name, "role": staff_role.get_role_display()})
            return redirect(f"{reverse('desk:staff')}?unit={staff_role.unit_id}")
    return render(request, "desk/staff_end.html", {
        "menu": "desk_staff", "unit": staff_role.unit, "staff_role": staff_role, "form": form})


@login_required
@require_POST
def invitation_answer(request, pk):
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return redirect("portal:unit_requests")
    try:
        staff_role = services.answer_invitation(person=request.user, role_id=pk, accept=answer == "accept",
                                                request=request)
    except services.DeskError as error:
        raise Http404(error.message) from None
    if staff_role.is_active:
        messages.success(request, _("您已接受 %(unit)s 的%(role)s角色，請由「志工後台」登入使用。") % {
            "unit": staff_role.unit.label, "role": staff_role.get_role_display()})
    else:
        messages.success(request, _("您已婉拒 %(unit)s 的%(role)s角色。") % {
            "unit": staff_role.unit.label, "role": staff_role.get_role_display()})
    return redirect("portal:unit_requests")
