"""申請績效證明書 (我的檔案 → 榮譽紀錄): the volunteer asks a unit for a 志願服務績效證明書, follows the request
through the unit's three reviews, withdraws it while it waits, and downloads the signed PDF once issued. The
rules live in volnet.eligibility.certificate_requests; every query starts from request.user."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from volnet.eligibility import certificate_requests, certificates
from volnet.eligibility.models import CertificateRequest
from volnet.forms import AccessibleFormMixin, column
from volnet.http import int_or_none


class RequestForm(AccessibleFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("向哪個運用單位申請"), coerce=int, widget=forms.RadioSelect,
                                  help_text=gettext_lazy("每個單位只證明您在該單位的服務年資與時數。"))
    purpose = forms.ChoiceField(label=gettext_lazy("用途"), widget=forms.RadioSelect, choices=[
        (key, label) for key, label in CertificateRequest.Purpose.choices if key != CertificateRequest.Purpose.PAPER])
    purpose_note = column(CertificateRequest, "purpose_note",
                          help_text=gettext_lazy("用途為「其他」時必填，例如：申請某縣市志願服務獎勵。"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(units)


def _units(options):
    """The form's choices: the units whose rules allow a certificate now and that hold no waiting request."""
    return [(unit.pk, unit.label) for unit, result, waiting, _items in options
            if result is not None and result.eligible and waiting is None]


@never_cache
@login_required
def certificates_view(request):
    options = certificate_requests.options(request.user)
    form = RequestForm(request.POST if request.method == "POST" else None, units=_units(options))
    if request.method == "POST" and form.is_valid():
        unit = next(option[0] for option in options if option[0].pk == form.cleaned_data["unit"])
        try:
            certificate_requests.submit(request.user, unit, form.cleaned_data["purpose"],
                                        form.cleaned_data["purpose_note"], request=request)
        except certificates.CertificateError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已向 %(unit)s 申請績效證明書。單位應於 7 日內辦結，結果會通知您。")
                             % {"unit": unit.label})
            return redirect("portal:certificates")
    return render(request, "portal/certificates.html", {
        "menu": "honors",
        "form": form,
        "options": options,
        "requests": certificate_requests.requests_of(request.user),
    }, status=400 if form.errors else 200)


@never_cache
@login_required
@require_POST
def withdraw(request, pk):
    req = certificate_requests.requests_of(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404(_("找不到這件申請。"))
    try:
        certificate_requests.withdraw(request.user, req, request=request)
    except certificates.CertificateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回向 %(unit)s 的績效證明書申請。") % {"unit": req.unit.label})
    return redirect("portal:certificates")


@never_cache
@login_required
def certificate_pdf(request, pk):
    """下載: the volunteer's own certificate as a signed PDF with its verification code (every print recorded)."""
    certificate = certificate_requests.own_certificate(request.user, int_or_none(pk))
    if certificate is None:
        raise Http404(_("找不到這張績效證明書。"))
    return certificates.download(request, certificate, refused_to="portal:certificates")
