"""§7 pages: the unit's plans and results reports (志工後台, its own unit only), and the authority's review
desk (the units it oversees). Tenancy: `staffweb.current_unit` for the unit, `access.overseen_units` for the
authority; the rules are `reports.services`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volnet.http import int_or_none
from volnet.paging import paginate
from volnet.records.models import Award, TrainingRecord
from volnet.reports import queries, services
from volnet.reports.forms import PlanForm, ReportForm, ReviewForm
from volnet.reports.models import ResultsReport, ServicePlan
from volnet.staffweb import authority_required, current_unit, posted_unit, staff_required
from volnet.units import access

FIRST_YEAR = 2001  # 志願服務法 (民國90年)


def _year(request, default):
    """The year asked for as a 民國 year (`?year=114`), else `default`. An impossible one shows `default` with a
    message saying so (a posted one is a 404: nothing is filed for a year nobody chose)."""
    asked = request.GET.get("year") or request.POST.get("year")
    if not asked:
        return default
    roc = int_or_none(asked)
    if roc is None or not FIRST_YEAR <= roc + 1911 <= timezone.localdate().year + 1:
        if request.method == "POST":
            raise Http404(_("沒有這個年度：請以民國年表示，例如 114。"))
        messages.error(request, _("沒有 %(asked)s 這個年度（請以民國年表示，例如 114），以下是 %(year)s 年度。") % {
            "asked": asked[:10], "year": default - 1911})
        return default
    return roc + 1911


def labelled(figures):
    """The figures with the names of training and award kinds in the reader's language."""
    return {**figures,
            "training_by_kind": [{**row, "label": TrainingRecord.Kind(row["kind"]).label}
                                 for row in figures["training_by_kind"]],
            "awards_by_kind": [{**row, "label": Award.Kind(row["kind"]).label} for row in figures["awards_by_kind"]]}


@staff_required
def unit(request):
    unit = current_unit(request)
    this_year = timezone.localdate().year
    years = range(this_year + 1, max(this_year - 4, FIRST_YEAR - 1), -1)
    plans = {p.year: p for p in ServicePlan.objects.filter(unit=unit)}
    reports = {r.year: r for r in ResultsReport.objects.filter(unit=unit)}
    rows = [{"year": year, "roc": year - 1911, "plan": plans.get(year), "report": reports.get(year),
             "may_report": services.may_file_report(year), "due": queries.due_date(year)} for year in years]
    return render(request, "reports/unit.html", {"menu": "reports", "unit": unit, "rows": rows})


@staff_required
def plan(request):
    unit = current_unit(request)
    year = _year(request, timezone.localdate().year + 1)
    filed = ServicePlan.objects.filter(unit=unit, year=year).first()
    form = PlanForm(request.POST or None)
    if request.method == "POST" and filed is None and form.is_valid():
        try:
            services.file_plan(actor=request.user, unit=unit, year=year, request=request, **form.cleaned_data)
        except services.ReportError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已提報 %(year)s 年度的服務計畫。") % {"year": year - 1911})
            return redirect(f"{reverse('reports:unit')}?unit={unit.pk}")
    return render(request, "reports/plan.html", {
        "menu": "reports", "unit": unit, "year": year, "roc": year - 1911, "filed": filed, "form": form})


@staff_required
def report(request):
    unit = current_unit(request)
    year = _year(request, timezone.localdate().year - 1)
    filed = ResultsReport.objects.filter(unit=unit, year=year).first()
    form = ReportForm(request.POST or None, initial={"explanation": filed.explanation if filed else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.file_report(actor=request.user, unit=unit, year=year, request=request, **form.cleaned_data)
        except services.ReportError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已提報 %(year)s 年度的成果報告，請等待主管機關審核。") % {"year": year - 1911})
            return redirect(f"{reverse('reports:unit')}?unit={unit.pk}")
    waiting = filed is not None and filed.status != ResultsReport.Status.RETURNED
    figures = filed.figures if waiting else queries.figures([unit.pk], year)
    return render(request, "reports/report.html", {
        "menu": "reports", "unit": unit, "year": year, "roc": year - 1911, "filed": filed, "form": form,
        "figures": labelled(figures), "may_file": not waiting and services.may_file_report(year),
        "due": queries.due_date(year)})


@authority_required
def review_list(request):
    year = _year(request, timezone.localdate().year - 1)
    late_only = request.GET.get("late") == "1"
    rows = services.overview(access.overseen_units(request.user).select_related("authority"), year)
    if late_only:
        rows = [row for row in rows if row["late"]]
    reviewable = set(access.registry_units(request.user).values_list("pk", flat=True))
    for row in rows:
        row["may_remind"] = row["late"] and row["unit"].pk in reviewable
    return render(request, "reports/review_list.html", {
        "menu": "report_review", "year": year, "roc": year - 1911, "page": paginate(request, rows),
        "late_only": late_only, "due": queries.due_date(year), "years": range(timezone.localdate().year, 2020, -1)})


@authority_required
def review(request, pk):
    filed = get_object_or_404(ResultsReport.objects.filter(unit__in=access.overseen_units(request.user))
                              .select_related("unit", "filed_by", "reviewed_by"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("decision") == "accept"
        try:
            services.review_report(actor=request.user, report_id=filed.pk, accept=accept, request=request,
                                   reason=form.cleaned_data["reason"])
        except services.ReportError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已審核通過 %(unit)s 的成果報告。") % {"unit": filed.unit.label} if accept
                             else _("已退回 %(unit)s 的成果報告。") % {"unit": filed.unit.label})
            return redirect(f"{reverse('reports:review_list')}?year={filed.year - 1911}")
    plan = ServicePlan.objects.filter(unit=filed.unit, year=filed.year).first()
    return render(request, "reports/review.html", {
        "menu": "report_review", "report": filed, "plan": plan, "roc": filed.year - 1911, "form": form,
        "figures": labelled(filed.figures),
        "may_review": access.registry_units(request.user).filter(pk=filed.unit_id).exists()})


@authority_required
@require_POST
def remind(request):
    unit = posted_unit(request)
    year = _year(request, timezone.localdate().year - 1)
    try:
        addresses = services.send_reminder(actor=request.user, unit=unit, year=year, request=request)
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已寄送提醒給 %(unit)s（%(count)s 個信箱）。") % {
            "unit": unit.label, "count": len(addresses)})
    return redirect(f"{reverse('reports:review_list')}?year={year - 1911}&late=1")
