"""自行填報服務時數: a volunteer reports hours served at one of their units. The entry waits for the
unit's approval (待審核); declined entries stay visible here with the unit's reason.

It lives with the back office because the approval side does, but it is a volunteer page: it extends
portal/layout.html and is mounted at /me/report-hours/.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from volnet.http import int_or_none
from volnet.records import services
from volnet.records.forms import SelfReportForm
from volnet.records.models import ServiceRecord
from volnet.units.models import Unit


def _my_units(user):
    return Unit.objects.served_by(user).order_by("code", "name")


@login_required
@require_http_methods(["GET", "POST"])
def report_hours(request):
    units = _my_units(request.user)
    if request.method == "POST" and request.POST.get("withdraw"):
        return _withdraw(request)
    form = SelfReportForm(request.POST or None, volunteer=request.user, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_hours(volunteer=request.user, request=request, **form.values())
        except services.RecordError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已送出，等單位審核通過後，就會列入您的服務時數。"))
            return redirect("selfreport")
    reports = (
        ServiceRecord.objects.filter(volunteer=request.user, self_reported=True)
        .select_related("unit")
        .order_by("-start_date", "-id")[:50]
    )
    return render(request, "backoffice/selfreport.html", {
        "menu": "selfreport", "form": form, "reports": reports, "has_units": units.exists(),
    })


def _withdraw(request):
    record = get_object_or_404(
        ServiceRecord, pk=int_or_none(request.POST.get("withdraw")), volunteer=request.user, self_reported=True
    )
    try:
        services.withdraw_report(record, volunteer=request.user, request=request)
    except services.RecordError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回這筆填報。"))
    return redirect("selfreport")
