"""The organiser's course pages (志工後台 › 教育訓練課程): publish, change, cancel, the roll of each session on a phone,
completion with 結業證書字號, and each completer's 結業證書 PDF. Who may run which course: units.access."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.courses import completion, queries, services
from volnet.courses.forms import CancelCourseForm, CourseForm, SessionFormSet
from volnet.courses.models import Enrolment, Session
from volnet.http import int_or_none
from volnet.lib.hours import format_hours
from volnet.paging import paginate
from volnet.staffweb import staff_required

PAGE_SIZE = 20


def _staff(request, template, context, status=200):
    return render(request, template, {"menu": "courses", **context}, status=status)


def _managed(request, pk):
    return get_object_or_404(queries.managed_courses(request.user), pk=pk)


@staff_required
def manage(request):
    courses = queries.managed_courses(request.user).order_by("-first_day", "-id")
    return _staff(request, "courses/manage/list.html", {
        "page": paginate(request, courses, PAGE_SIZE), "can_publish": bool(queries.organisers(request.user))})


def _session_initial(course, kind, category):
    if course is not None:
        return [{"pk": s.pk, "subject": s.subject, "date": s.date, "starts_at": s.starts_at, "ends_at": s.ends_at,
                 "hours": Decimal(s.minutes) / 60} for s in course.sessions.all()]
    return [{"subject": subject, "hours": Decimal(minutes) / 60}
            for subject, minutes in services.suggested_subjects(kind, category)] or [{}]


def _sessions(formset):
    return [services.SessionInput(subject=f["subject"], date=f["date"], starts_at=f["starts_at"],
                                  ends_at=f["ends_at"], minutes=int(f["hours"] * 60), pk=f.get("pk"))
            for f in (form.cleaned_data for form in formset.forms) if f and not f.get("DELETE")]


def _course_form(request, course=None):
    organisers = queries.organisers(request.user)
    if course is None and not organisers:
        raise Http404(_("您沒有可以開設課程的單位或機關。"))
    kind = request.GET.get("kind") if request.GET.get("kind") in ("basic", "special") else "basic"
    category = request.GET.get("category", "")
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, instance=course, organisers=organisers,
                      initial={"kind": kind, "category": category} if course is None else None)
    formset = SessionFormSet(data, prefix="s", initial=None if data else _session_initial(course, kind, category))
    if data is None or not (form.is_valid() & formset.is_valid()):
        return form, formset, None
    fields = {name: form.cleaned_data[name] for name in services.COURSE_FIELDS}
    try:
        if course is None:
            organiser = form.organiser_object()
            unit = organiser if hasattr(organiser, "is_active") else None
            saved = services.publish(request.user, unit=unit, authority=None if unit else organiser,
                                     sessions=_sessions(formset), request=request, **fields)
        else:
            saved = services.change(course, request.user, sessions=_sessions(formset), request=request, **fields)
    except services.CourseError as error:
        if error.field == "sessions":
            form.add_error(None, error.message)
        else:
            form.add_domain_error(error)
        return form, formset, None
    return form, formset, saved


def _course_page(request, course=None):
    form, formset, saved = _course_form(request, course)
    if saved is not None:
        done = (_("已公告「%(title)s」，志工可在「教育訓練課程」報名。") if course is None
                else _("已儲存「%(title)s」；已報名與候補的學員會收到變更通知。"))
        messages.success(request, done % {"title": saved.title})
        return redirect("courses:manage_detail", pk=saved.pk)
    return _staff(request, "courses/manage/form.html", {"form": form, "formset": formset, "course": course},
                  status=400 if request.method == "POST" else 200)


@staff_required
def course_new(request):
    return _course_page(request)


@staff_required
def course_edit(request, pk):
    return _course_page(request, _managed(request, pk))


@staff_required
def course_cancel(request, pk):
    course = _managed(request, pk)
    form = CancelCourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(course, request.user, form.cleaned_data["reason"], request=request)
        except services.CourseError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已取消「%(title)s」，並通知已報名與候補的學員。") % {"title": course.title})
            return redirect("courses:manage_detail", pk=course.pk)
    return _staff(request, "courses/manage/cancel.html", {"form": form, "course": course},
                  status=400 if form.errors else 200)


@staff_required
def manage_detail(request, pk, error=None, status=200):
    course = _managed(request, pk)
    enrolled, waiting = queries.roster(course)
    sessions = list(course.sessions.all())
    total_hours = Decimal(sum(s.minutes for s in sessions)) / 60
    for enrolment in enrolled:  # a refused completion shows what was typed and ticked again
        enrolment.full = len(enrolment.present_sessions) == len(sessions)
        enrolment.typed_hours = request.POST.get(f"hours-{enrolment.pk}", format_hours(total_hours))
        if request.method == "POST":
            enrolment.full = str(enrolment.pk) in request.POST.getlist("complete")
    return _staff(request, "courses/manage/detail.html", {
        "course": course, "sessions": sessions, "enrolled": enrolled, "waiting": waiting, "error": error,
        "total_hours": total_hours, "today": timezone.localdate(),
    }, status=status)


@staff_required
def roll(request, pk):
    """點名 of one session: a list of large check boxes, one per person enrolled."""
    session = get_object_or_404(Session.objects.filter(course__in=queries.managed_courses(request.user)), pk=pk)
    course = session.course
    error, status = None, 200
    if request.method == "POST":
        present = [pk for pk in map(int_or_none, request.POST.getlist("present")) if pk is not None]
        try:
            here, away = completion.take_attendance(session, request.user, present, request=request)
        except services.CourseError as refused:
            error, status = refused.message, 400
        else:
            messages.success(request, _("已儲存 %(subject)s 的點名：出席 %(here)s 人，缺席 %(away)s 人。") % {
                "subject": session.subject, "here": here, "away": away})
            return redirect("courses:manage_detail", pk=course.pk)
    enrolled, _waiting = queries.roster(course)
    for enrolment in enrolled:
        enrolment.here = session.pk in enrolment.present_sessions
    return _staff(request, "courses/manage/roll.html", {
        "course": course, "session": session, "enrolled": enrolled, "error": error}, status=status)


@staff_required
def complete(request, pk):
    course = _managed(request, pk)
    if request.method != "POST":
        return redirect("courses:manage_detail", pk=course.pk)
    chosen = [pk for pk in map(int_or_none, request.POST.getlist("complete")) if pk is not None]
    hours = {pk: request.POST.get(f"hours-{pk}", "") for pk in chosen}
    try:
        done = completion.complete(course, request.user, hours, request=request)
    except services.CourseError as error:
        return manage_detail(request, course.pk, error=error.params.get("problems") or [error.message], status=400)
    messages.success(request, _("已結訓 %(count)s 人，結業證書字號 %(numbers)s，訓練時數已登錄。") % {
        "count": len(done), "numbers": "、".join(e.certificate_number for e in done)})
    return redirect("courses:manage_detail", pk=course.pk)


def certificate(request, pk):
    """The 結業證書 PDF: for the completer and the organiser's staff; anyone else a 404."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("course__unit", "course__authority", "volunteer"),
                                  pk=pk, completed_on__isnull=False)
    if not request.user.is_authenticated or not completion.may_download(request.user, enrolment):
        raise Http404(_("找不到這張結業證書。"))
    data, _document = completion.issue_pdf(enrolment, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{enrolment.pk}.pdf"'
    return response
