"""§7 plans and results reports: filed by the unit's own staff, reviewed by the unit's competent authority.

Who may is `units.access` alone: `is_unit_staff` files (an authority never files for a unit), `registry_units`
reviews and reminds, `overseen_units` reads. Each action is atomic, locks what it changes, refuses with a
`ReportError` and writes an audit entry carrying the unit.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit import log
from volnet.errors import DomainError
from volnet.lib import rocdate
from volnet.mailer import outbox
from volnet.reports import queries
from volnet.reports.models import ResultsReport, ServicePlan
from volnet.units import access
from volnet.units.models import StaffRole, Unit

PLAN_FIELDS = ["recruitment", "training", "management", "service_items", "period_start", "period_end"]


class ReportError(DomainError):
    """A refused filing or review (volnet.errors.DomainError)."""


def _roc_year(year):
    return year - 1911


def _require_unit_staff(actor, unit):
    if not access.is_unit_staff(actor, unit):
        raise ReportError("forbidden", _("只有本單位的工作人員可以提報。"))


def _require_reviewer(actor, unit):
    if not access.registry_units(actor).filter(pk=unit.pk).exists():
        raise ReportError("forbidden", _("只有單位所屬的主管機關可以審核成果報告。"))


@transaction.atomic
def file_plan(*, actor, unit, year, request=None, **fields):
    """The unit's service plan for `year`: once per year."""
    _require_unit_staff(actor, unit)
    if fields["period_end"] < fields["period_start"]:
        raise ReportError("bad_period", _("計畫迄日不可早於起日。"), field="period_end")
    if ServicePlan.objects.filter(unit=unit, year=year).exists():
        raise ReportError("plan_filed", _("%(unit)s 已提報 %(year)s 年度的服務計畫。") % {
            "unit": unit.label, "year": _roc_year(year)})
    try:
        with transaction.atomic():
            plan = ServicePlan.objects.create(unit=unit, year=year, filed_by=actor, **fields)
    except IntegrityError:
        raise ReportError("plan_filed", _("%(unit)s 已提報 %(year)s 年度的服務計畫。") % {
            "unit": unit.label, "year": _roc_year(year)}) from None
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("reports.plan.filed", actor=actor, unit=unit, obj=plan, changes={"年度": ["", str(_roc_year(year))]},
               request=request)
    return plan


def may_file_report(year, today=None):
    """A year's results report is filed once the year is over."""
    return year < (today or timezone.localdate()).year


@transaction.atomic
def file_report(*, actor, unit, year, explanation="", request=None, today=None):
    """The results report of `year`, its figures read from the records now (queries.figures). Filed again
    only after the authority returned it; never while it waits for review, never once accepted."""
    _require_unit_staff(actor, unit)
    if not may_file_report(year, today):
        raise ReportError("year_not_over", _("%(year)s 年度尚未結束，年度結束後才能提報成果報告。") % {
            "year": _roc_year(year)})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)  # one filing at a time per unit
    report = ResultsReport.objects.select_for_update().filter(unit=unit, year=year).first()
    if report is not None and report.status == ResultsReport.Status.ACCEPTED:
        raise ReportError("accepted", _("%(year)s 年度的成果報告已審核通過，不能再提報。") % {"year": _roc_year(year)})
    if report is not None and report.status == ResultsReport.Status.FILED:
        raise ReportError("filed_twice", _("%(year)s 年度的成果報告已提報，正等待主管機關審核。") % {
            "year": _roc_year(year)})
    figures = queries.figures([unit.pk], year)
    explanation = (explanation or "").strip()[:4000]
    if report is None:
        report = ResultsReport.objects.create(unit=unit, year=year, figures=figures, explanation=explanation,
                                              filed_by=actor)
    else:
        report.status, report.figures, report.explanation = ResultsReport.Status.FILED, figures, explanation
        report.filed_by, report.filed_at, report.times_filed = actor, timezone.now(), report.times_filed + 1
        report.save()
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("reports.report.filed", actor=actor, unit=unit, obj=report, changes={
        "年度": ["", str(_roc_year(year))], "服務時數": ["", figures["hours"]],
        "志工人數": ["", str(figures["volunteers"])]}, request=request)
    return report


@transaction.atomic
def review_report(*, actor, report_id, accept, reason="", request=None):
    """Accept a filed report, or return it with a reason for the unit to correct and file again."""
    report = ResultsReport.objects.select_for_update().select_related("unit").filter(pk=report_id).first()
    if report is None or not access.overseen_units(actor).filter(pk=report.unit_id).exists():
        raise ReportError("not_found", _("找不到這份成果報告。"))
    _require_reviewer(actor, report.unit)
    if report.status != ResultsReport.Status.FILED:
        raise ReportError("not_waiting", _("這份成果報告目前不是待審核狀態（%(status)s）。") % {
            "status": report.get_status_display()})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ReportError("reason_required", _("退回時請寫明原因，讓單位知道要補正什麼。"), field="reason")
    report.status = ResultsReport.Status.ACCEPTED if accept else ResultsReport.Status.RETURNED
    report.return_reason = "" if accept else reason[:500]
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("reports.report.accepted" if accept else "reports.report.returned", actor=actor, unit=report.unit,
               obj=report, changes={} if accept else {"退回原因": ["", report.return_reason]}, request=request)
    return report


def overview(units, year, today=None):
    """One row per unit: its plan and report of `year`, and whether the report is late (past the due date,
    not filed or returned and not filed again)."""
    today = today or timezone.localdate()
    scope, units = units, list(units.order_by("code"))
    plans = {p.unit_id: p for p in ServicePlan.objects.filter(unit__in=units, year=year)}
    reports = {r.unit_id: r for r in ResultsReport.objects.filter(unit__in=units, year=year)}
    past_due = today > queries.due_date(year)
    awaited = set(queries.awaiting_report(scope, year).values_list("pk", flat=True)) if past_due else set()
    return [{"unit": unit, "plan": plans.get(unit.pk), "report": reports.get(unit.pk), "late": unit.pk in awaited}
            for unit in units]


def reminder_addresses(unit):
    """Where a reminder goes: the unit's own address and those of its staff in force (負責人, 督導, 承辦人)."""
    staff = StaffRole.objects.in_force().filter(unit=unit).exclude(user__email="").values_list(
        "user__email", flat=True)
    return sorted({address for address in [unit.email, *staff] if address})


@transaction.atomic
def send_reminder(*, actor, unit, year, request=None):
    """Mail the unit that its results report of `year` is awaited; returns the addresses mailed."""
    _require_reviewer(actor, unit)
    addresses = reminder_addresses(unit)
    if not addresses:
        raise ReportError("no_address", _("%(unit)s 沒有登錄電子信箱，工作人員也沒有，無法寄送提醒；請以電話聯繫。") % {
            "unit": unit.label})
    context = {"unit": unit.label, "year": _roc_year(year), "due": rocdate.format(queries.due_date(year)),
               "authority": unit.authority.name,
               "url": settings.SITE_URL.rstrip("/") + reverse("reports:unit") + f"?unit={unit.pk}"}
    for address in addresses:
        outbox.queue_mail("reports/mail/reminder", to=address, context=context, language=settings.LANGUAGE_CODE)
    # zh-only: the audit log's field names are stored data, kept in one language
    log.record("reports.reminder.sent", actor=actor, unit=unit, changes={
        "年度": ["", str(_roc_year(year))], "收件人數": ["", str(len(addresses))]}, request=request)
    return addresses
