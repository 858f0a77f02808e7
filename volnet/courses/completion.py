"""From attendance to training records: the roll of each session, the completion that issues 結業證書字號 and
writes the completers' training records in one transaction, the 結業證書 PDF, and the reminder the day before.

- Only those enrolled (a seat, not the waiting list) are on a roll or complete; a completer attended every
  session and the hours given for them are the sessions' hours (a typo or a stale form is refused whole).
- 結業證書字號 run in sequence per organiser and 民國 year (`2-299-結訓-115-0001`; an authority's code in place
  of a unit's), under a lock of the organiser's row, and are unique; each completer once per course.
- Each completion writes a TrainingRecord (訓練單位 = the organiser; 登錄單位 = the organising unit, none for an
  authority) that counts at once: the volunteer asked for the course, so it stands behind it. It shows in
  教育訓練時數 and in the record book, and the engine reads it for eligibility.
Every action is atomic, refuses with CourseError and writes an audit entry; nothing is half written."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import record
from volnet.courses import certificate_pdf
from volnet.courses.models import Attendance, Course, Enrolment, Session
from volnet.courses.queries import attended
from volnet.courses.services import CourseError, lock_course, require_course, when
from volnet.documents import codes, signing
from volnet.documents import services as documents
from volnet.documents.models import Document
from volnet.lib import rocdate
from volnet.lib.hours import format_hours
from volnet.lib.words import join_list
from volnet.notifications.models import Kind
from volnet.notifications.services import notify
from volnet.records.models import Consent, TrainingRecord
from volnet.units import access
from volnet.units.models import Authority, Unit


def _names(enrolments):
    return join_list(sorted(e.volunteer.name for e in enrolments))


@transaction.atomic
def take_attendance(session, actor, present, *, request=None, today=None):
    """點名: `present` is the ids of the enrolments present; everyone else enrolled is marked absent."""
    today = today or timezone.localdate()
    course = lock_course(session.course)
    require_course(actor, course)
    session = Session.objects.get(pk=session.pk, course=course)
    if course.is_cancelled:
        raise CourseError("cancelled", _("「%(title)s」已取消，不能點名。") % {"title": course.title})
    if session.date > today:
        raise CourseError("early", _("%(subject)s 在 %(date)s 上課，當天起才能點名。") % {
            "subject": session.subject, "date": rocdate.format(session.date)})
    enrolled = {e.pk: e for e in course.enrolments.enrolled().select_related("volunteer")}
    present = {int(pk) for pk in present}
    strangers = present - set(enrolled)
    if strangers:
        others = Enrolment.objects.filter(pk__in=strangers, course=course).select_related("volunteer")
        who = _names(others) or _("不在名單上的人")
        raise CourseError("not_enrolled", _("%(names)s 沒有報名（或仍在候補），不能登錄出席。") % {"names": who})
    done = [e for pk, e in enrolled.items() if e.completed and pk not in present]
    if done:
        raise CourseError("completed", _("%(names)s 已結訓，出席紀錄不能改為缺席。") % {"names": _names(done)})
    now = timezone.now()
    for pk in enrolled:
        Attendance.objects.update_or_create(session=session, enrolment_id=pk, defaults={
            "present": pk in present, "marked_by": actor, "marked_at": now})
    record("courses.attendance.taken", actor=actor, unit=course.unit, obj=session, request=request, changes={
        "course": course.title, "session": f"{session.date.isoformat()} {session.subject}",
        "present": sorted(present), "absent": sorted(set(enrolled) - present)})
    return len(present), len(enrolled) - len(present)


def _hours(value):
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return hours if hours.is_finite() else None


def completion_problems(course, hours_by_enrolment, sessions, today):
    """Every reason the completion cannot be written, as messages (empty: it can)."""
    problems = []
    if course.is_cancelled:
        return [_("「%(title)s」已取消，不能結訓。") % {"title": course.title}]
    if course.last_day is None or course.last_day > today:
        return [_("最後一場在 %(date)s，上完課後才能結訓。") % {"date": rocdate.format(course.last_day)}]
    if not hours_by_enrolment:
        return [_("請勾選結訓的學員。")]
    total = sum(session.minutes for session in sessions)
    enrolments = {e.pk: e for e in Enrolment.objects.filter(course=course, pk__in=list(hours_by_enrolment))
                  .select_related("volunteer")}
    present = attended(course)
    for pk, given in hours_by_enrolment.items():
        enrolment = enrolments.get(pk)
        if enrolment is None or enrolment.status != Enrolment.Status.ENROLLED:
            name = enrolment.volunteer.name if enrolment else _("不在名單上的人")
            problems.append(_("%(name)s 沒有報名（或仍在候補），不能結訓。") % {"name": name})
            continue
        name = enrolment.volunteer.name
        if enrolment.completed:
            problems.append(_("%(name)s 已於 %(date)s 結訓（%(number)s），同一門課不能再結訓一次。") % {
                "name": name, "date": rocdate.format(enrolment.completed_on), "number": enrolment.certificate_number})
            continue
        missed = [s for s in sessions if s.pk not in present.get(pk, set())]
        if missed:
            problems.append(_("%(name)s 缺席 %(sessions)s，未全程參與，不能結訓。") % {
                "name": name, "sessions": join_list(f"{rocdate.format(s.date)} {s.subject}" for s in missed)})
        hours = _hours(given)
        if hours is None or hours * 60 != total:
            problems.append(_("%(name)s 的時數 %(given)s 與各場次合計 %(total)s 小時不符。") % {
                "name": name, "given": given, "total": format_hours(Decimal(total) / 60)})
    return problems


def _organiser_row(course):
    """The organiser's row, locked: one serial at a time per organiser."""
    if course.unit_id:
        return Unit.objects.select_for_update().get(pk=course.unit_id)
    return Authority.objects.select_for_update().get(pk=course.authority_id)


def _number(course, organiser, roc_year, serial):
    code = organiser.code or f"U{organiser.pk}"
    return f"{code}-結訓-{roc_year:03d}-{serial:04d}"  # zh-only: the number as printed on the certificate


@transaction.atomic
def complete(course, actor, hours_by_enrolment, *, request=None, today=None):
    """結訓: issue each completer a 結業證書字號 and write their training record, all or nothing.
    `hours_by_enrolment`: {enrolment id: hours as typed}. Returns the completed enrolments."""
    today = today or timezone.localdate()
    course = lock_course(course)
    require_course(actor, course)
    sessions = list(course.sessions.order_by("date", "starts_at", "id"))
    hours_by_enrolment = {int(pk): value for pk, value in hours_by_enrolment.items()}
    problems = completion_problems(course, hours_by_enrolment, sessions, today)
    if problems:
        raise CourseError("invalid", " ".join(problems), problems=problems)
    organiser = _organiser_row(course)
    roc_year = today.year - rocdate.ROC_OFFSET
    mine = Q(course__unit_id=course.unit_id) if course.unit_id else Q(course__authority_id=course.authority_id)
    serial = Enrolment.objects.filter(mine, certificate_year=roc_year).aggregate(last=Max("certificate_serial"))[
        "last"] or 0
    total = sum(session.minutes for session in sessions)
    completed = []
    enrolments = (Enrolment.objects.select_for_update(of=("self",))
                  .filter(course=course, pk__in=list(hours_by_enrolment))
                  .select_related("volunteer").order_by("created_at", "id"))
    for enrolment in enrolments:
        serial += 1
        number = _number(course, organiser, roc_year, serial)
        training = TrainingRecord.objects.create(
            volunteer=enrolment.volunteer, unit=course.unit, registrant=actor, kind=course.kind,
            category=course.category, course=course.title[:120], organiser=course.organiser_name[:120],
            start_date=course.first_day, end_date=course.last_day, sessions=len(sessions), minutes=total,
            certificate_number=number, consent=Consent.GIVEN)
        enrolment.completed_on, enrolment.certificate_number = today, number
        enrolment.certificate_year, enrolment.certificate_serial = roc_year, serial
        enrolment.training_record, enrolment.completed_by = training, actor
        enrolment.save(update_fields=["completed_on", "certificate_number", "certificate_year",
                                      "certificate_serial", "training_record", "completed_by"])
        record("courses.enrolment.completed", actor=actor, volunteer=enrolment.volunteer, unit=course.unit,
               obj=enrolment, request=request, changes={
                   "course": course.title, "number": number, "minutes": total, "training_record": training.pk})
        notify(enrolment.volunteer, Kind.COURSE_COMPLETED, key=f"course-completed:{enrolment.pk}",
               params={"course": course.title, "number": number},
               link=reverse("portal:services") + "?tab=training")
        completed.append(enrolment)
    return completed


def may_download(user, enrolment):
    """The completer, and the organiser's staff."""
    course = enrolment.course
    return enrolment.volunteer_id == user.pk or access.may_run_course(user, unit=course.unit,
                                                                      authority=course.authority)


def issue_pdf(enrolment, request=None, today=None):
    """The 結業證書 of a completer: (PDF bytes, its Document), signed and recorded like every issued PDF; a
    newer print of the same certificate supersedes the older."""
    if not enrolment.completed:
        raise CourseError("not_completed", _("%(name)s 尚未結訓，沒有結業證書。") % {"name": enrolment.volunteer.name})
    today = today or timezone.localdate()
    sessions = list(enrolment.course.sessions.order_by("date", "starts_at", "id"))
    code = documents.new_code()
    verification = (codes.display(code), documents.verify_url(code), documents.lookup_url())
    reason = "結業證書"  # zh-only: the form's name, in the signature
    data = signing.sign(certificate_pdf.render(enrolment, sessions, verification, today), reason=reason)
    course = enrolment.course
    totals = [("結業證書字號", enrolment.certificate_number), ("課程", course.title),  # zh-only: as printed
              ("訓練時數", f"{format_hours(sum(s.minutes for s in sessions) / 60)} 小時"),
              ("結訓日期", rocdate.format(enrolment.completed_on))]
    document = documents.record(Document.Kind.TRAINING, enrolment.volunteer, code=code, data=data,
                                issuer=course.organiser_name, issued_on=today, totals=totals,
                                scope=enrolment.certificate_number, request=request)
    return data, document


def remind_day_before(today=None):
    """Tell everyone enrolled about each session tomorrow (once per enrolment and session). Returns how many
    were told."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    told = 0
    sessions = (Session.objects.filter(date=tomorrow, course__status=Course.Status.PUBLISHED)
                .select_related("course").order_by("starts_at", "pk"))
    for session in sessions:
        course = session.course
        for enrolment in course.enrolments.enrolled().select_related("volunteer"):
            _note, created = notify(enrolment.volunteer, Kind.COURSE_REMINDER,
                                    key=f"course-reminder:{enrolment.pk}:{session.pk}",
                                    params={"course": course.title, "when": when(session), "subject": session.subject,
                                            "place": course.place or _("線上課程")},
                                    link=reverse("courses:detail", args=[course.pk]))
            told += created
    return told
