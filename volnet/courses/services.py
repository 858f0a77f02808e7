"""Courses from publication to the last seat: publish, change, cancel (the organiser's), enrol and cancel an
enrolment (the volunteer's), and the waiting list moving up by itself.

Every action is atomic, refuses with CourseError (a code and a message in the reader's language) and writes an
audit entry. Seats are counted under a lock of the course row (`select_for_update`): concurrent enrolments for
the last seats queue on it, so a course never holds more enrolled than its capacity and the rest wait in the
order they came (PostgreSQL; SQLite serialises writers anyway). Whoever is told (enrolled, waiting, moved up,
a change, a cancellation) is told through `notifications.notify` in the same transaction, once per event key.
"""

import dataclasses
import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.audit.log import record
from volnet.courses.models import Course, Enrolment, Session
from volnet.courses.queries import waiting_place
from volnet.eligibility.engine import required_training_minutes
from volnet.errors import DomainError
from volnet.lib import rocdate
from volnet.lib.hours import format_hours
from volnet.lib.words import join_list
from volnet.notifications.models import Kind
from volnet.notifications.services import notify
from volnet.units import access
from volnet.units.choices import ServiceCategory

Status = Enrolment.Status

# 基礎訓練 since 2018-06-01 (domain.md §3.2): three set courses, 6 hours in all; the hours in force are the
# eligibility rule table's (`required_training_minutes`), these are the suggested split.
# zh-only: the set courses' names as the ministry writes them; they are stored and printed as they are
BASIC_SUBJECTS = [("志願服務內涵及倫理", 120), ("志願服務經驗分享", 120), ("志願服務法規之認識", 120)]
# 社會福利類 特殊訓練 (domain.md §3.2): four courses, 6 hours; other categories set their own.
# zh-only: as above
SOCIAL_WELFARE_SUBJECTS = [("社會福利概述", 120), ("社會資源與志願服務", 60), ("運用單位業務簡介及工作內容說明", 120),
                           ("綜合討論", 60)]
CAPACITY_MAX = 10_000
COURSE_FIELDS = ("kind", "category", "title", "description", "place", "online_url", "capacity", "audience",
                 "enrol_from", "enrol_until", "contact_name", "contact_phone", "contact_email")


class CourseError(DomainError):
    """A refused course action (volnet.errors.DomainError)."""


@dataclasses.dataclass
class SessionInput:
    subject: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    minutes: int
    pk: int | None = None


def suggested_subjects(kind, category=""):
    """[(subject, minutes)] a new course of the kind starts with."""
    if kind == Course.Kind.BASIC:
        return BASIC_SUBJECTS
    if category == ServiceCategory.SOCIAL_WELFARE:
        return SOCIAL_WELFARE_SUBJECTS
    return []


def when(session):
    """`115/03/01 09:00` for a session, as the notifications and pages say it."""
    return f"{rocdate.format(session.date)} {session.starts_at:%H:%M}"


def _session_problems(sessions):
    problems = []
    for number, session in enumerate(sessions, start=1):
        label = {"number": number, "subject": session.subject or _("未命名")}
        if not (session.subject or "").strip():
            problems.append(_("第 %(number)s 場請填寫課程主題。") % label)
        if session.ends_at <= session.starts_at:
            problems.append(_("第 %(number)s 場（%(subject)s）的結束時間須晚於開始時間。") % label)
            continue
        length = (dt.datetime.combine(session.date, session.ends_at)
                  - dt.datetime.combine(session.date, session.starts_at)).seconds // 60
        if session.minutes <= 0:
            problems.append(_("第 %(number)s 場（%(subject)s）的時數必須大於 0。") % label)
        elif session.minutes > length:
            problems.append(_("第 %(number)s 場（%(subject)s）的時數 %(hours)s 小時超過上課時間 %(length)s 小時。") % {
                **label, "hours": format_hours(session.minutes / 60), "length": format_hours(length / 60)})
    return problems


def course_problems(*, kind, category, capacity, enrol_from, enrol_until, place, online_url, sessions, today,
                    enrolled=0, **_other):
    """Every rule a course must meet, as {field: message} ("sessions" for the sessions, None for the course)."""
    problems = {}
    if kind not in Course.Kind.values:
        problems["kind"] = _("請選擇訓練類別：基礎訓練或特殊訓練。")
    if kind == Course.Kind.SPECIAL and category not in ServiceCategory.values:
        problems["category"] = _("特殊訓練須選擇服務類別。")
    if capacity is None or capacity < 1:
        problems["capacity"] = _("名額至少 1 人。")
    elif capacity > CAPACITY_MAX:
        problems["capacity"] = _("名額最多 %(max)s 人。") % {"max": CAPACITY_MAX}
    elif capacity < enrolled:
        problems["capacity"] = _("已有 %(count)s 人報名，名額不可少於 %(count)s。") % {"count": enrolled}
    if not (place or "").strip() and not (online_url or "").strip():
        problems["place"] = _("請填寫上課地點或線上課程連結。")
    if enrol_from and enrol_until and enrol_until < enrol_from:
        problems["enrol_until"] = _("報名截止日 %(end)s 早於報名開始日 %(start)s。") % {
            "end": rocdate.format(enrol_until), "start": rocdate.format(enrol_from)}
    if not sessions:
        problems["sessions"] = _("請至少安排一個場次。")
        return problems
    messages = _session_problems(sessions)
    first = min(session.date for session in sessions)
    if enrol_until and enrol_until > first:
        problems.setdefault("enrol_until", _("報名截止日須在第一場 %(date)s 當天或之前。")
                            % {"date": rocdate.format(first)})
    if kind == Course.Kind.BASIC:
        messages += _basic_problems(sessions)
    if messages:
        problems["sessions"] = " ".join(messages)
    return problems


def _basic_problems(sessions):
    """基礎訓練: the three set courses, and the hours the rule in force on the last day asks."""
    subjects = {session.subject.strip() for session in sessions}
    missing = [name for name, _minutes in BASIC_SUBJECTS if name not in subjects]
    problems = []
    if missing:
        problems.append(_("基礎訓練須包含三門課程，缺少：%(missing)s。") % {"missing": join_list(missing)})
    last = max(session.date for session in sessions)
    required = required_training_minutes("basic", last)
    total = sum(session.minutes for session in sessions)
    if total < required:
        problems.append(_("基礎訓練共需 %(required)s 小時，各場次合計只有 %(total)s 小時。") % {
            "required": format_hours(required / 60), "total": format_hours(total / 60)})
    return problems


def _raise_first(problems):
    if problems:
        field, message = next(iter(problems.items()))
        raise CourseError("invalid", message, field=field, problems=problems)


def _require_organiser(actor, unit=None, authority=None):
    if not access.may_run_course(actor, unit=unit, authority=authority):
        raise CourseError("forbidden", _("您不是%(organiser)s的工作人員，不能管理它的課程。")
                          % {"organiser": (unit.name if unit is not None else getattr(authority, "name", ""))})


def require_course(actor, course):
    _require_organiser(actor, unit=course.unit, authority=course.authority)


def _set_days(course):
    days = [session.date for session in course.sessions.all()]
    course.first_day, course.last_day = (min(days), max(days)) if days else (None, None)
    Course.objects.filter(pk=course.pk).update(first_day=course.first_day, last_day=course.last_day)


def _session_values(session):
    return {"subject": session.subject.strip(), "date": session.date, "starts_at": session.starts_at,
            "ends_at": session.ends_at, "minutes": session.minutes}


@transaction.atomic
def publish(actor, *, unit=None, authority=None, sessions, request=None, today=None, **fields):
    """公告 a course of `unit` or `authority` with its sessions."""
    today = today or timezone.localdate()
    _require_organiser(actor, unit=unit, authority=authority)
    fields = {name: fields.get(name) for name in COURSE_FIELDS if name in fields}
    if fields.get("kind") != Course.Kind.SPECIAL:
        fields["category"] = ""
    problems = course_problems(sessions=sessions, today=today, **{**dict.fromkeys(COURSE_FIELDS), **fields})
    if sessions and min(session.date for session in sessions) < today:
        problems.setdefault("sessions", _("場次日期不可早於今天。"))
    _raise_first(problems)
    course = Course.objects.create(unit=unit, authority=authority, created_by=actor, **fields)
    Session.objects.bulk_create([Session(course=course, **_session_values(s)) for s in sessions])
    _set_days(course)
    record("courses.course.published", actor=actor, unit=unit, obj=course, request=request, changes={
        "title": course.title, "kind": course.kind, "capacity": course.capacity,
        "sessions": [f"{s.date.isoformat()} {s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.subject}" for s in sessions]})
    return course


def lock_course(course):
    return Course.objects.select_for_update(of=("self",)).select_related("unit", "authority").get(pk=course.pk)


def _link(course):
    return reverse("courses:detail", args=[course.pk])


def _first_session(course):
    return course.sessions.order_by("date", "starts_at", "id").first()


def _tell_open(course, kind, key, params):
    for enrolment in course.enrolments.open().select_related("volunteer"):
        notify(enrolment.volunteer, kind, key=f"{key}:{enrolment.pk}", params=params, link=_link(course))


@transaction.atomic
def change(course, actor, *, sessions, request=None, today=None, **fields):
    """Save a changed course; those enrolled or waiting are told what changed (時間、地點…)."""
    today = today or timezone.localdate()
    course = lock_course(course)
    require_course(actor, course)
    if course.is_cancelled:
        raise CourseError("cancelled", _("「%(title)s」已取消，不能再修改。") % {"title": course.title})
    fields = {name: fields[name] for name in COURSE_FIELDS if name in fields}
    if fields.get("kind", course.kind) != Course.Kind.SPECIAL:
        fields["category"] = ""
    merged = {name: getattr(course, name) for name in COURSE_FIELDS} | fields
    enrolled = course.enrolments.enrolled().count()
    problems = course_problems(sessions=sessions, today=today, enrolled=enrolled, **merged)
    existing = {session.pk: session for session in course.sessions.all()}
    kept = {session.pk for session in sessions if session.pk}
    if kept - set(existing):
        problems.setdefault("sessions", _("場次不屬於這門課程，請重新整理頁面。"))
    removed = [existing[pk] for pk in set(existing) - kept]
    if any(session.attendance.exists() for session in removed):
        problems.setdefault("sessions", _("已點名的場次不能刪除。"))
    if course.enrolments.filter(completed_on__isnull=False).exists() and (
            removed or any(existing[s.pk].minutes != s.minutes for s in sessions if s.pk) or
            any(not s.pk for s in sessions) or merged["kind"] != course.kind or merged["category"] != course.category):
        problems.setdefault("sessions", _("已有學員結訓，場次、時數與訓練類別不能再變更。"))
    _raise_first(problems)

    what = []
    before = {name: getattr(course, name) for name in COURSE_FIELDS}
    if (before["place"], before["online_url"]) != (merged["place"], merged["online_url"]):
        what.append(_("上課地點"))
    before_sessions = {pk: _session_values(s) for pk, s in existing.items()}
    if removed or any(not s.pk or before_sessions[s.pk] != _session_values(s) for s in sessions):
        what.append(_("場次時間"))
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    Session.objects.filter(pk__in=[s.pk for s in removed]).delete()
    for session in sessions:
        if session.pk:
            Session.objects.filter(pk=session.pk).update(**_session_values(session))
        else:
            Session.objects.create(course=course, **_session_values(session))
    _set_days(course)
    changes = {name: [str(before[name]), str(merged[name])] for name in COURSE_FIELDS if before[name] != merged[name]}
    if what:
        changes["sessions"] = [f"{s.date.isoformat()} {s.starts_at:%H:%M}-{s.ends_at:%H:%M} {s.subject}"
                               for s in sessions]
    record("courses.course.changed", actor=actor, unit=course.unit, obj=course, request=request, changes=changes)
    if what:
        stamp = timezone.now().isoformat()
        _tell_open(course, Kind.COURSE_CHANGED, f"course-changed:{course.pk}:{stamp}",
                   {"course": course.title, "what": join_list(what)})
    _move_up(course)
    return course


@transaction.atomic
def cancel(course, actor, reason, *, request=None):
    """取消 a course: it stays listed as cancelled with the reason; everyone enrolled or waiting is told."""
    course = lock_course(course)
    require_course(actor, course)
    reason = (reason or "").strip()
    if not reason:
        raise CourseError("reason_required", _("請填寫取消原因。"), field="reason")
    if course.is_cancelled:
        raise CourseError("cancelled", _("「%(title)s」已經取消。") % {"title": course.title})
    if course.enrolments.filter(completed_on__isnull=False).exists():
        raise CourseError("completed", _("「%(title)s」已有學員結訓，不能取消。") % {"title": course.title})
    course.status, course.cancel_reason, course.cancelled_at = Course.Status.CANCELLED, reason[:200], timezone.now()
    course.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    record("courses.course.cancelled", actor=actor, unit=course.unit, obj=course, request=request,
           changes={"title": course.title, "reason": course.cancel_reason,
                    "enrolled": course.enrolments.open().count()})
    _tell_open(course, Kind.COURSE_CANCELLED, f"course-cancelled:{course.pk}",
               {"course": course.title, "reason": course.cancel_reason})
    return course


# ---------------------------------------------------------------------------------------------- enrolment


def audience_refusal(course, volunteer):
    """Why the volunteer may not enrol for reasons of audience (None: they may)."""
    if course.audience == Course.Audience.OWN and not access.serves_under(volunteer, unit=course.unit,
                                                                         authority=course.authority):
        return _("「%(title)s」只開放%(organiser)s所屬的志工報名。") % {
            "title": course.title, "organiser": course.organiser.name}
    return None


def _first_when(course):
    first = _first_session(course)
    return when(first) if first else ""


@transaction.atomic
def enrol(course, volunteer, *, request=None, today=None):
    """報名: a seat while there is one, else the waiting list. The course row is locked while seats are counted."""
    today = today or timezone.localdate()
    course = lock_course(course)
    if course.is_cancelled:
        raise CourseError("cancelled", _("「%(title)s」已取消，不受理報名。") % {"title": course.title})
    if not course.enrolment_open_on(today):
        raise CourseError("window", _("「%(title)s」的報名期間為 %(range)s，目前不受理報名。") % {
            "title": course.title, "range": rocdate.format_range(course.enrol_from, course.enrol_until)})
    refusal = audience_refusal(course, volunteer)
    if refusal:
        raise CourseError("audience", refusal)
    existing = course.enrolments.open().filter(volunteer=volunteer).first()
    if existing is not None:
        raise CourseError("already", _("您已報名「%(title)s」（%(status)s）。") % {
            "title": course.title, "status": existing.get_status_display()})
    seats_taken = course.enrolments.enrolled().count()
    status = Status.ENROLLED if seats_taken < course.capacity else Status.WAITING
    enrolment = Enrolment.objects.create(course=course, volunteer=volunteer, status=status)
    record("courses.enrolment.created", actor=volunteer, volunteer=volunteer, unit=course.unit, obj=enrolment,
           request=request, changes={"course": course.title, "status": status})
    if status == Status.ENROLLED:
        notify(volunteer, Kind.COURSE_ENROLLED, key=f"course-enrolled:{enrolment.pk}",
               params={"course": course.title, "when": _first_when(course)}, link=_link(course))
    else:
        notify(volunteer, Kind.COURSE_WAITING, key=f"course-waiting:{enrolment.pk}",
               params={"course": course.title, "place": waiting_place(enrolment)}, link=_link(course))
    return enrolment


@transaction.atomic
def cancel_enrolment(enrolment, actor, *, request=None, now=None):
    """取消報名 by the volunteer, before the first session starts; a seat given back goes to the first waiting."""
    now = now or timezone.now()
    course = lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.volunteer_id != actor.pk:
        raise CourseError("forbidden", _("只能取消自己的報名。"))
    if not enrolment.is_open:
        raise CourseError("not_open", _("這筆報名已經取消。"))
    first = _first_session(course)
    if first is not None and first.start <= now and not course.is_cancelled:
        raise CourseError("started", _("「%(title)s」已經開始上課，不能在網站上取消報名，請與聯絡人%(contact)s聯絡。")
                          % {"title": course.title, "contact": course.contact_name})
    was_enrolled = enrolment.status == Status.ENROLLED
    enrolment.status, enrolment.cancelled_at = Status.CANCELLED, now
    enrolment.save(update_fields=["status", "cancelled_at"])
    record("courses.enrolment.cancelled", actor=actor, volunteer=enrolment.volunteer, unit=course.unit,
           obj=enrolment, request=request, changes={"course": course.title, "had_seat": was_enrolled})
    if was_enrolled and not course.is_cancelled:
        _move_up(course)
    return enrolment


def _move_up(course):
    """遞補: while a seat is free, the first on the waiting list takes it (the course row is locked by the caller)."""
    free = course.capacity - course.enrolments.enrolled().count()
    if free <= 0 or course.is_cancelled:
        return []
    moved = list(course.enrolments.waiting().select_related("volunteer")[:free])
    now = timezone.now()
    for enrolment in moved:
        enrolment.status, enrolment.moved_up_at = Status.ENROLLED, now
        enrolment.save(update_fields=["status", "moved_up_at"])
        record("courses.enrolment.moved_up", volunteer=enrolment.volunteer, unit=course.unit, obj=enrolment,
               changes={"course": course.title})
        notify(enrolment.volunteer, Kind.COURSE_MOVED_UP, key=f"course-moved-up:{enrolment.pk}",
               params={"course": course.title, "when": _first_when(course)}, link=_link(course))
    return moved
