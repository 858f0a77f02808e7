"""工作總覽 (the dashboard) and the unit switcher."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from volnet.http import safe_next
from volnet.records.models import InsuranceCoverage, RecordBookApplication, ServiceRecord
from volnet.recruitment.models import Application
from volnet.staffweb import current_unit, posted_unit, remember_unit, staff_required
from volnet.units import access
from volnet.units.models import Membership


def uninsured_members(user, unit, today):
    """Active members with no insurance policy covering today (志願服務法 §16 makes it mandatory)."""
    covered = InsuranceCoverage.objects.in_force(today).filter(volunteer=OuterRef("volunteer"))
    return (
        access.unit_members(user, unit)
        .annotate(insured=Exists(covered))
        .filter(insured=False)
        .order_by("volunteer_number", "volunteer__name")
    )


@staff_required
@require_http_methods(["GET"])
def dashboard(request):
    unit = current_unit(request)
    today = timezone.localdate()
    month_start = timezone.make_aware(dt.datetime(today.year, today.month, 1))
    services = access.managed_records(request.user, ServiceRecord).filter(unit=unit)
    entered = services.filter(status=ServiceRecord.Status.APPROVED, created_at__gte=month_start).aggregate(
        hours=Sum("hours"), count=Count("id"), people=Count("volunteer", distinct=True)
    )
    uninsured = uninsured_members(request.user, unit, today)
    uninsured_count = uninsured.count()
    units = access.managed_units(request.user)
    book_applications = RecordBookApplication.objects.filter(
        unit__in=units, status=RecordBookApplication.Status.PENDING
    )
    context = {
        "menu": "home",
        "unit": unit,
        "today": today,
        "members": access.unit_members(request.user, unit).count(),
        "uninsured": list(uninsured[:10]) if uninsured_count else [],
        "uninsured_more": uninsured_count > 10,
        "uninsured_count": uninsured_count,
        "entered": entered,
        "pending_approvals": services.filter(status=ServiceRecord.Status.PENDING).count(),
        "pending_applications": Application.objects.filter(
            posting__unit=unit, status=Application.Status.PENDING
        ).count(),
        "pending_books": book_applications.filter(unit=unit).count(),
        "is_authority": access.is_authority_staff(request.user),
        "authority_pending_books": book_applications.count() if access.is_authority_staff(request.user) else 0,
        "ended_this_month": access.unit_members(request.user, unit, active_only=False).filter(
            status=Membership.Status.ENDED, left_on__gte=today.replace(day=1)
        ).count(),
    }
    return render(request, "backoffice/dashboard.html", context)


@staff_required
@require_POST
def switch_unit(request):
    """The unit switcher in the layout: remember the choice, go back to the page it was made on."""
    unit = posted_unit(request)
    remember_unit(request, unit)
    target = safe_next(request, request.POST.get("next"), "/backoffice/")
    return redirect(_strip_query(target if target.startswith("/") else "/backoffice/"))


def _strip_query(path):
    return path.split("?", 1)[0]
