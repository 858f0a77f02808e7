"""更正申請: what volunteers asked the unit to correct in its entries; the staff answer each (corrected, with a link
to the record's edit page, or declined with why). Tenancy: records.corrections reads through units.access."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from volnet.forms import AccessibleFormMixin
from volnet.paging import paginate
from volnet.records import corrections
from volnet.records.models import CorrectionRequest
from volnet.staffweb import current_unit, staff_required

Status = CorrectionRequest.Status
# Where the staff correct a record of each kind: its edit page, or the list it is kept in.
EDIT_PAGES = {"service": "backoffice:service_edit", "training": "backoffice:training_edit",
              "insurance": "backoffice:insurance_edit", "other_item": "backoffice:other_item_edit",
              "award": "backoffice:award_edit"}
LIST_PAGES = {"book": "backoffice:books", "certificate": "backoffice:certificates"}


class AnswerForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("回覆"), widget=forms.RadioSelect,
        choices=[(Status.CORRECTED, gettext_lazy("已更正紀錄")), (Status.DECLINED, gettext_lazy("不予更正"))],
        error_messages={"required": gettext_lazy("請選擇已更正或不予更正。")})
    answer = forms.CharField(
        label=gettext_lazy("說明"), required=False, max_length=corrections.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("志工會看到這段說明。不予更正時必填，請寫明原因。"))


def _record_link(correction):
    """The page where the record is corrected (None when the record is gone)."""
    if corrections.record_still_there(correction) is None:
        return None
    try:
        if correction.kind in EDIT_PAGES:
            return reverse(EDIT_PAGES[correction.kind], args=[correction.record_id])
        return reverse(LIST_PAGES[correction.kind])
    except (KeyError, NoReverseMatch):
        return None


@staff_required
def correction_queue(request):
    unit = current_unit(request)
    tab = "answered" if request.GET.get("tab") == "answered" else "pending"
    queue = corrections.unit_queue(request.user, unit, answered=tab == "answered")
    return render(request, "backoffice/corrections.html", {
        "menu": "corrections", "unit": unit, "tab": tab, "page": paginate(request, queue),
        "pending_count": corrections.unit_queue(request.user, unit).count(),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def correction_answer(request, pk):
    correction = corrections.for_staff(request.user, pk)
    if correction is None:
        raise Http404(_("找不到這筆更正申請。"))
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                corrections.answer_correction(request.user, pk, request=request, **form.cleaned_data)
            except corrections.CorrectionError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("已回覆更正申請，志工會收到通知。"))
                return redirect(reverse("backoffice:corrections") + f"?unit={correction.unit_id}")
        status = 400
    return render(request, "backoffice/correction.html", {
        "menu": "corrections", "c": correction, "form": form, "record_link": _record_link(correction),
    }, status=status)
