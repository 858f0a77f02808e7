"""申請更正 in 我的檔案: from a record's row, the volunteer asks the unit that entered it to correct it, and reads
the answers; 更正申請 lists every request. Only the person's own records are found (records.corrections)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from volnet.paging import paginate
from volnet.portal.forms import CorrectionForm
from volnet.records import corrections

PER_PAGE = 20
# Where each kind's record is listed in 我的檔案 (the way back from its correction page).
LISTED_AT = {
    "service": ("portal:services", "?tab=services"), "training": ("portal:services", "?tab=training"),
    "book": ("portal:services", "?tab=book"), "insurance": ("portal:services", "?tab=insurance"),
    "other_item": ("portal:services", "?tab=other"), "award": ("portal:honors", ""),
    "certificate": ("portal:honors", ""),
}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def correction(request, kind, record_id):
    record = corrections.find_record(request.user, kind, record_id)
    asked = list(corrections.requests_about(request.user, kind, record_id)) if kind in LISTED_AT else []
    if record is None and not asked:
        raise Http404(_("找不到這筆紀錄。"))
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and record is not None:
        if form.is_valid():
            try:
                corrections.request_correction(request.user, kind, record_id, request=request, **form.cleaned_data)
            except corrections.CorrectionError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("已送出更正申請，登錄的單位回覆後會通知您。"))
                return redirect("portal:correction", kind, record_id)
        status = 400
    return render(request, "portal/correction.html", {
        "menu": "corrections", "kind": kind, "record_id": record_id, "kind_label": corrections.Kind(kind).label,
        "record": record,
        "summary": corrections.summary(kind, record) if record is not None else asked[0].summary,
        "unit": corrections.unit_of(kind, record) if record is not None else asked[0].unit,
        "asked": asked, "pending": any(c.is_pending for c in asked), "form": form,
        "back": LISTED_AT[kind],
    }, status=status)


@never_cache
@login_required
def correction_list(request):
    page = paginate(request, corrections.requests_for(request.user), PER_PAGE, query="")
    return render(request, "portal/corrections.html", {"menu": "corrections", "page": page})
