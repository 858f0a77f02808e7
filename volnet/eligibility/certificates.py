"""志願服務績效證明書 (domain.md §3.5, rule 6): a unit issues one to a volunteer with ≥ 1 year and ≥ 150 h there.

- each unit certifies only its own hours: the figures are the eligibility engine's result for that unit on
  the day of issue (hours, seniority and the period they were counted over), stored as they were certified;
- only the unit's own staff issue and cancel (units.access.is_unit_staff); authority staff do not; a
  certificate is issued by the 負責人's approval of a request (volnet.eligibility.certificate_requests, after
  the 承辦人 and the 志工督導), never directly by a page;
- one valid certificate per volunteer, unit and counting period (a database constraint);
- numbers are unit code + ROC year + four-digit serial (`2-299-115-0001`), unique, never reused: the unit
  row is locked while the next serial is taken, and a cancelled certificate keeps its number.

Every action is atomic, raises CertificateError (code + a message in the reader's language) and writes an
audit entry.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import record
from volnet.documents import codes, signing
from volnet.documents import services as documents
from volnet.documents.models import Document
from volnet.eligibility import certificate_pdf, engine
from volnet.errors import DomainError
from volnet.lib import rocdate
from volnet.lib.hours import format_hours
from volnet.lib.words import join_list
from volnet.records.models import PerformanceCertificate, ServiceRecord
from volnet.units import access
from volnet.units.models import StaffRole, Unit

Status = PerformanceCertificate.Status
ITEMS_ROOM = 300  # PerformanceCertificate.service_items


class CertificateError(DomainError):
    """A refused certificate action (volnet.errors.DomainError)."""


def can_issue(user, unit):
    return access.is_unit_staff(user, unit)


def valid_for_period(volunteer_id, unit_id, start, end):
    return PerformanceCertificate.objects.filter(
        volunteer_id=volunteer_id, unit_id=unit_id, period_start=start, period_end=end, status=Status.ISSUED
    ).first()


def issued_periods(unit, volunteer_ids):
    """{(volunteer id, period start, period end)} of the unit's valid certificates, for many volunteers."""
    return set(
        PerformanceCertificate.objects.filter(unit=unit, volunteer_id__in=volunteer_ids, status=Status.ISSUED)
        .values_list("volunteer_id", "period_start", "period_end")
    )


def unit_certificates(user, unit):
    """Certificates the unit issued; PermissionDenied for a unit the user does not manage."""
    access.require_unit(user, unit)
    return PerformanceCertificate.objects.filter(unit=unit).select_related("volunteer", "issued_by")


@transaction.atomic
def issue_certificate(actor, unit, volunteer, today=None, request=None, counted_on=None, head_name=None):
    """Issue a certificate of `unit` to `volunteer` with the engine's figures for that unit on `counted_on`
    (default `today`, the day of issue): a request certifies the period it was asked for. `head_name`: the
    負責人 printed (default: the unit's 負責人 in force)."""
    today = today or timezone.localdate()
    if not can_issue(actor, unit):
        raise CertificateError("forbidden",
                               _("只有%(unit)s的工作人員可以開立該單位的績效證明書。") % {"unit": unit.name})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)  # one serial at a time per unit
    result = engine.evaluate_volunteer(volunteer, counted_on or today).certificates.get(unit.pk)
    if result is None or not result.eligible:
        reasons = join_list(result.reasons) if result is not None else _("在本單位沒有服務紀錄")
        raise CertificateError("not_eligible", _("%(name)s 不符合%(unit)s開立績效證明書的資格：%(reasons)s。") % {
            "name": volunteer.name, "unit": unit.name, "reasons": reasons})
    existing = valid_for_period(volunteer.pk, unit.pk, result.window_start, result.window_end)
    if existing is not None:
        raise CertificateError("already_issued", _("%(name)s 同一採計期間的績效證明書已開立（%(number)s）。") % {
            "name": volunteer.name, "number": existing.number})
    roc_year = today.year - rocdate.ROC_OFFSET
    serial = (PerformanceCertificate.objects.filter(unit=unit, roc_year=roc_year).aggregate(last=Max("serial"))["last"]
              or 0) + 1
    try:
        with transaction.atomic():
            certificate = PerformanceCertificate.objects.create(
                volunteer=volunteer, unit=unit, number=f"{unit.code or unit.pk}-{roc_year:03d}-{serial:04d}",
                roc_year=roc_year, serial=serial, issued_on=today, hours=result.hours, months=result.months,
                period_start=result.window_start, period_end=result.window_end, issued_by=actor,
                service_items=service_items(volunteer, unit, result.window_start, result.window_end),
                head_name=head_of(unit) if head_name is None else head_name,
            )
    except IntegrityError:
        raise CertificateError("already_issued", _("%(name)s 的績效證明書剛由他人開立，請重新整理頁面。")
                               % {"name": volunteer.name}) from None
    record("records.certificate.issued", actor=actor, volunteer=volunteer, unit=unit, obj=certificate,
           request=request, changes={
               "number": certificate.number, "hours": str(certificate.hours), "months": certificate.months,
               "period": f"{certificate.period_start.isoformat()}/{certificate.period_end.isoformat()}",
           })
    return certificate


def service_items(volunteer, unit, start, end):
    """The service items (服務項目) the volunteer's counted hours at the unit fall under in [start, end], the
    most hours first, as printed on the certificate."""
    rows = (ServiceRecord.objects.counting().filter(volunteer=volunteer, unit=unit, start_date__range=(start, end))
            .values("service_item").annotate(total=Sum("hours")).order_by("-total", "service_item"))
    items = []
    for row in rows:
        if len("、".join([*items, row["service_item"]])) > ITEMS_ROOM:
            break
        items.append(row["service_item"])
    return "、".join(items)


def head_of(unit):
    """The name of the unit's 負責人 in force (of the unit or the unit above it), for the certificate's 負責人 line."""
    head = access.unit_staff_with_role(unit, StaffRole.Role.HEAD).order_by("pk").first()
    return head.name if head is not None else ""


def issue_pdf(certificate, request=None, today=None):
    """Print the certificate: (PDF bytes, its Document). Every print is recorded and signed; a newer print of
    the same certificate supersedes the older, and a cancelled certificate is never printed."""
    if certificate.status != Status.ISSUED:
        raise CertificateError("cancelled", _("績效證明書 %(number)s 已註銷，不能列印。")
                               % {"number": certificate.number})
    today = today or timezone.localdate()
    code = documents.new_code()
    verification = (codes.display(code), documents.verify_url(code), documents.lookup_url())
    reason = "志願服務績效證明書"  # zh-only: the form's name, in the signature
    data = signing.sign(certificate_pdf.render(certificate, verification, today), reason=reason)
    years, months = divmod(certificate.months, 12)
    totals = [("證明書字號", certificate.number),  # zh-only: as printed on the certificate
              ("採計期間", rocdate.format_range(certificate.period_start, certificate.period_end)),
              ("服務年資", f"{years} 年 {months} 個月"), ("服務時數", f"{format_hours(certificate.hours)} 小時")]
    document = documents.record(Document.Kind.CERTIFICATE, certificate.volunteer, code=code, data=data,
                                issuer=certificate.unit.label, issued_on=today, totals=totals,
                                scope=certificate.number, request=request)
    return data, document


def download(request, certificate, refused_to):
    """A page's 下載/列印 of the certificate: the signed PDF as an attachment (every print recorded), or back to
    `refused_to` with the reason when it may not be printed (cancelled)."""
    try:
        data, _document = issue_pdf(certificate, request=request)
    except CertificateError as error:
        messages.error(request, error.message)
        return redirect(refused_to)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"certificate-{certificate.number}.pdf\""
    return response


@transaction.atomic
def cancel_certificate(certificate, actor, reason, on=None, request=None):
    """註銷: the row stays with its number, status 已註銷, the day and the reason."""
    certificate = PerformanceCertificate.objects.select_for_update().select_related("unit", "volunteer").get(
        pk=certificate.pk)
    if not can_issue(actor, certificate.unit):
        raise CertificateError("forbidden", _("只有%(unit)s的工作人員可以註銷該單位的績效證明書。")
                               % {"unit": certificate.unit.name})
    if certificate.status == Status.CANCELLED:
        raise CertificateError("already_cancelled", _("績效證明書 %(number)s 已於 %(date)s 註銷。") % {
            "number": certificate.number, "date": rocdate.format(certificate.cancelled_on)})
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("reason_required", _("請填寫註銷原因。"))
    on = on or timezone.localdate()
    if on < certificate.issued_on:
        raise CertificateError("bad_date", _("註銷日期不可早於開立日期 %(date)s。")
                               % {"date": rocdate.format(certificate.issued_on)})
    certificate.status = Status.CANCELLED
    certificate.cancelled_on = on
    certificate.cancel_reason = reason[:200]
    certificate.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    documents.cancel_scope(Document.Kind.CERTIFICATE, certificate.volunteer, certificate.number, actor,
                           certificate.cancel_reason, request=request)  # its prints say so on the public page
    record("records.certificate.cancelled", actor=actor, volunteer=certificate.volunteer, unit=certificate.unit,
           obj=certificate, request=request,
           changes={"number": certificate.number, "reason": certificate.cancel_reason, "cancelled_on": on.isoformat()})
    return certificate
