"""績效證明書 (志工後台, menu "certificates"): the current unit issues certificates from 資格查詢, lists the
ones it issued and cancels one with a reason. The rules live in volnet.eligibility.certificates."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from volnet.accounts.queries import people_filter
from volnet.eligibility import certificate_requests, certificates
from volnet.eligibility.models import CertificateRequest
from volnet.forms import AccessibleFormMixin, RocDateField
from volnet.http import int_or_none, safe_next
from volnet.lib.hours import format_hours
from volnet.paging import paginate
from volnet.staffweb import current_unit, posted_unit, staff_required
from volnet.units import access

PER_PAGE = 20
STATUSES = [("", gettext_lazy("全部")), ("issued", gettext_lazy("有效")), ("cancelled", gettext_lazy("已註銷"))]


class CancelForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("註銷原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200}),
                             help_text=gettext_lazy("例如：時數登錄錯誤、重複開立。"))
    cancelled_on = RocDateField(label=gettext_lazy("註銷日期"))


@staff_required
@require_POST
def issue(request):
    """代為申請 from the 資格查詢 list: a paper application entered for the volunteer, for the unit posted (one
    the user manages). It goes through the same 承辦人 → 志工督導 → 負責人 steps as one made online."""
    unit = posted_unit(request)
    membership = access.unit_members(request.user, unit, active_only=False).filter(
        volunteer_id=int_or_none(request.POST.get("volunteer"))).first()
    if membership is None:
        raise Http404(_("此單位沒有這位志工。"))
    volunteer = membership.volunteer
    try:
        req = certificate_requests.submit(volunteer, unit, CertificateRequest.Purpose.PAPER, actor=request.user,
                                          request=request)
    except certificates.CertificateError as error:
        messages.error(request, error.message)  # it names the volunteer where that helps
    else:
        messages.success(request, _("已登錄 %(name)s 的績效證明書申請（%(hours)s 小時），"
                                    "待承辦人、志工督導、負責人依序審核。")
                         % {"name": volunteer.name, "hours": format_hours(req.hours)})
    return redirect(safe_next(request, request.POST.get("next"), reverse("eligibility:query")))


@staff_required
def certificate_list(request):
    unit = current_unit(request)
    query = (request.GET.get("q") or "").strip()[:30]
    status = request.GET.get("status") if request.GET.get("status") in dict(STATUSES) else ""
    found = certificates.unit_certificates(request.user, unit)
    if query:
        found = found.filter(Q(number__icontains=query) | people_filter(query, "volunteer__"))
    if status:
        found = found.filter(status=status)
    return render(request, "backoffice/certificates/list.html", {
        "menu": "certificates",
        "unit": unit,
        "can_issue": certificates.can_issue(request.user, unit),
        "waiting": certificate_requests.unit_requests(request.user, unit).filter(
            status__in=CertificateRequest.WAITING).count(),
        "page": paginate(request, found, PER_PAGE),
        "query": query,
        "status": status,
        "statuses": STATUSES,
    })


@staff_required
def cancel(request, pk):
    unit = current_unit(request)
    certificate = get_object_or_404(certificates.unit_certificates(request.user, unit), pk=pk)
    if not certificates.can_issue(request.user, unit):
        raise PermissionDenied(_("只有%(unit)s的工作人員可以註銷該單位的績效證明書。") % {"unit": unit.name})
    data = request.POST if request.method == "POST" else None
    form = CancelForm(data, initial={"cancelled_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            certificates.cancel_certificate(certificate, request.user, form.cleaned_data["reason"],
                                            on=form.cleaned_data["cancelled_on"], request=request)
        except certificates.CertificateError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request,
                             _("已註銷績效證明書 %(number)s。此字號不會再使用。") % {"number": certificate.number})
            return redirect("backoffice:certificates")
    return render(request, "backoffice/certificates/cancel.html",
                  {"menu": "certificates", "certificate": certificate, "form": form},
                  status=400 if form.errors else 200)


@staff_required
def certificate_pdf(request, pk):
    """列印: the certificate as a signed PDF with its verification code; every print is recorded."""
    unit = current_unit(request)
    certificate = get_object_or_404(certificates.unit_certificates(request.user, unit), pk=pk)
    return certificates.download(request, certificate, refused_to="backoffice:certificates")


# ------------------------------------------------------------------------- 績效證明書申請 (the review desk)

REQUEST_TABS = [("mine", gettext_lazy("待我審核")), ("waiting", gettext_lazy("審核中")), ("all", gettext_lazy("全部"))]


class ReturnForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("退回原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200}),
                             help_text=gettext_lazy("志工會收到這段說明，例如：本單位時數尚未登錄完畢。"))


def _with_desk_state(requests, user, today=None):
    """Each request with the days left to its deadline (overdue: how many days past) and the step the user
    may act on now."""
    roles = {}  # {unit id: the user's roles there}: one query per unit, not per request
    for req in requests:
        if req.unit_id not in roles:
            roles[req.unit_id] = access.unit_roles(user, req.unit)
        req.days_left = certificate_requests.days_left(req, today)
        req.overdue_days = max(0, -req.days_left)
        req.my_step = certificate_requests.acting_step(user, req, roles[req.unit_id])
    return requests


@staff_required
def request_list(request):
    """The unit's desk: requests waiting at each step, the deadline of each (days left, overdue marked)."""
    unit = current_unit(request)
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(REQUEST_TABS) else "mine"
    found = certificate_requests.unit_requests(request.user, unit).prefetch_related("reviews")
    if tab != "all":
        found = found.filter(status__in=CertificateRequest.WAITING)
    else:
        found = found.order_by("-submitted_at", "-id")
    today = timezone.localdate()
    rows = _with_desk_state(list(found), request.user, today)
    if tab == "mine":
        rows = [req for req in rows if req.my_step]
    return render(request, "backoffice/certificates/requests.html", {
        "menu": "certificates", "unit": unit, "tab": tab, "tabs": REQUEST_TABS, "requests": rows,
    })


@staff_required
def request_detail(request, pk):
    """One request: its figures, its history, and the current step's 同意 / 退回 for whoever holds it."""
    unit = current_unit(request)
    req = get_object_or_404(certificate_requests.unit_requests(request.user, unit).prefetch_related("reviews"), pk=pk)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        action, step = request.POST.get("action"), request.POST.get("step")
        try:
            if action == "approve":
                req = certificate_requests.approve(request.user, req, step, request=request)
            elif action == "return" and return_form.is_valid():
                req = certificate_requests.send_back(request.user, req, step, return_form.cleaned_data["reason"],
                                                     request=request)
            elif action not in ("approve", "return"):
                messages.error(request, _("請選擇同意或退回。"))
        except certificates.CertificateError as error:
            messages.error(request, error.message)
            return redirect("backoffice:certificate_request", pk=req.pk)
        if action == "approve" or (action == "return" and return_form.is_valid()):
            if req.status == CertificateRequest.Status.ISSUED:
                messages.success(request, _("已核定並核發績效證明書 %(number)s，志工可在「榮譽紀錄」下載。")
                                 % {"number": req.certificate.number})
            elif req.status == CertificateRequest.Status.RETURNED:
                messages.success(request, _("已退回申請並通知志工。"))
            else:
                messages.success(request, _("已同意，申請轉至下一關：%(status)s。")
                                 % {"status": req.get_status_display()})
            return redirect("backoffice:certificate_requests")
    _with_desk_state([req], request.user)
    return render(request, "backoffice/certificates/request.html", {
        "menu": "certificates", "req": req, "return_form": return_form,
        "items": certificates.service_items(req.volunteer, req.unit, req.period_start, req.period_end),
    }, status=400 if return_form.errors else 200)
