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


@staff_required
@require_http_methods(["GET", "POST"])
def approvals(request):
    unit = current_unit(request)
    tab = "declined" if request.GET.get("tab") == "declined" else "pending"
    reason = ""
    error = ""
    chosen = set()
    if request.method == "POST":
        reason = (request.POST.get("reason") or "").strip()
        approve_one = request.POST.get("approve_one")
        decline_one = request.POST.get("decline_one")
        if approve_one or decline_one:
            pks = _ids([approve_one or decline_one])
            action = "approve" if approve_one else "decline"
        else:
            pks = _ids(request.POST.getlist("record"))
            action = request.POST.get("action")
        chosen = set(pks)
        if action not in ("approve", "decline"):
            error = _("請選擇要核定或退回。")
        elif not pks:
            error = _("請先勾選要處理的時數。")
        else:
            try:
                if action == "approve":
                    count = services.approve_reports(actor=request.user, unit=unit, pks=pks, request=request)
                    done = ngettext("已核定 %(count)s 筆時數。", "已核定 %(count)s 筆時數。", count) % {"count": count}
                else:
                    count = services.decline_reports(actor=request.user, unit=unit, pks=pks, reason=reason,
                                                     request=request)
                    done = ngettext("已退回 %(count)s 筆時數，志工會看到退回原因。",
                                    "已退回 %(count)s 筆時數，志工會看到退回原因。", count) % {"count": count}
            except services.RecordError as refusal:
                error = refusal.message
            else:
                others = len(pks) - count
                if others > 0:
                    done += ngettext("另有 %(count)s 筆已由其他人處理過。", "另有 %(count)s 筆已由其他人處理過。",
                                     others) % {"count": others}
                messages.success(request, done)
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
        "chosen": chosen,
        "pending_count": pending_count,
    })
