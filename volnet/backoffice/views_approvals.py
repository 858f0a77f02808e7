"""待審核時數: hours volunteers reported themselves wait here for the unit. Approve or decline one
at a time (a button on the row) or many (checkboxes); a declined entry is kept with its reason."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from volnet.paging import paginate
from volnet.records import services
from volnet.records.models import ServiceRecord
from volnet.staffweb import current_unit, staff_required
from volnet.units import access


def _ids(values):
    found = []
    for value in values:
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            continue
    return found


def _decision(post):
    """(action, record ids, reason) as posted: a row's own button, or the checked rows and the action chosen."""
    one = post.get("approve_one") or post.get("decline_one")
    if one:
        return ("approve" if post.get("approve_one") else "decline"), _ids([one]), (post.get("reason") or "").strip()
    return post.get("action"), _ids(post.getlist("record")), (post.get("reason") or "").strip()


def _decide(request, unit, action, pks, reason):
    """Approve or decline the chosen reports: the message saying what was done, or RecordError."""
    if action == "approve":
        count = services.approve_reports(actor=request.user, unit=unit, pks=pks, request=request)
        done = ngettext("已核定 %(count)s 筆時數。", "已核定 %(count)s 筆時數。", count) % {"count": count}
    else:
        count = services.decline_reports(actor=request.user, unit=unit, pks=pks, reason=reason, request=request)
        done = ngettext("已退回 %(count)s 筆時數，志工會看到退回原因。",
                        "已退回 %(count)s 筆時數，志工會看到退回原因。", count) % {"count": count}
    others = len(pks) - count
    if others > 0:
        done += ngettext("另有 %(count)s 筆已由其他人處理過。", "另有 %(count)s 筆已由其他人處理過。",
                         others) % {"count": others}
    return done


@staff_required
@require_http_methods(["GET", "POST"])
def approvals(request):
    unit = current_unit(request)
    tab = "declined" if request.GET.get("tab") == "declined" else "pending"
    action, pks, reason, error = None, [], "", ""
    if request.method == "POST":
        action, pks, reason = _decision(request.POST)
        if action not in ("approve", "decline"):
            error = _("請選擇要核定或退回。")
        elif not pks:
            error = _("請先勾選要處理的時數。")
        else:
            try:
                messages.success(request, _decide(request, unit, action, pks, reason))
            except services.RecordError as refusal:
                error = refusal.message
            else:
                return redirect(reverse("backoffice:approvals") + f"?unit={unit.pk}")
    status = ServiceRecord.Status.DECLINED if tab == "declined" else ServiceRecord.Status.PENDING
    records = (
        access.managed_records(request.user, ServiceRecord)
        .filter(unit=unit, status=status, self_reported=True)
        .select_related("volunteer", "registrant")
        .order_by("start_date", "id")
    )
    pending_count = access.managed_records(request.user, ServiceRecord).filter(
        unit=unit, status=ServiceRecord.Status.PENDING
    ).count()
    return render(request, "backoffice/approvals.html", {
        "menu": "approvals",
        "unit": unit,
        "tab": tab,
        "page": paginate(request, records),
        "reason": reason,
        "error": error,
        "chosen": set(pks),
        "pending_count": pending_count,
    })
