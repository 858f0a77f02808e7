"""教育訓練課程 for volunteers: browse, read, enrol, cancel, the calendar file (base.html, public)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volnet.courses import queries, services
from volnet.courses.calendar import session_ics
from volnet.courses.forms import CourseFilterForm
from volnet.courses.models import Course, Session
from volnet.paging import paginate

PAGE_SIZE = 10


def course_list(request):
    today = timezone.localdate()
    form = CourseFilterForm(request.GET or None)
    hint = queries.eligibility_hint(request.user, today) if request.user.is_authenticated else None
    filters = form.cleaned_data if form.is_valid() else {}
    city = filters.get("city")
    courses = queries.browse(today, city=city and form.cities.get(pk=city), category=filters.get("category"),
                             start=filters.get("start"), basic_first=bool(hint and hint.lacks_basic))
    page = paginate(request, courses, PAGE_SIZE)
    return render(request, "courses/list.html", {
        "form": form, "page": page, "hint": hint, "searching": any(filters.values()), "today": today,
    }, status=400 if form.errors else 200)


def _visible_course(pk):
    course = get_object_or_404(Course.objects.select_related("unit__authority", "authority"), pk=pk)
    if course.unit_id and not course.unit.is_active:
        raise Http404(_("找不到這門課程。"))
    return course


def detail(request, pk, error=None, status=200):
    course = _visible_course(pk)
    today = timezone.localdate()
    return render(request, "courses/detail.html", {
        **queries.course_page(course, request.user, today), "error": error,
    }, status=status)


@login_required
@require_POST
def enrol(request, pk):
    course = _visible_course(pk)
    try:
        enrolment = services.enrol(course, request.user, request=request)
    except services.CourseError as error:
        return detail(request, pk, error=error.message, status=400)
    if enrolment.status == enrolment.Status.ENROLLED:
        messages.success(request, _("已報名「%(title)s」。上課前一天會提醒您。") % {"title": course.title})
    else:
        messages.success(request, _("「%(title)s」已額滿，您已列入候補；有人取消時會自動遞補並通知您。")
                         % {"title": course.title})
    return redirect("courses:detail", pk=course.pk)


@login_required
@require_POST
def cancel(request, pk):
    course = _visible_course(pk)
    enrolment = course.enrolments.open().filter(volunteer=request.user).first()
    if enrolment is None:
        raise Http404(_("您沒有報名這門課程。"))
    try:
        services.cancel_enrolment(enrolment, request.user, request=request)
    except services.CourseError as error:
        return detail(request, pk, error=error.message, status=400)
    messages.success(request, _("已取消報名「%(title)s」。") % {"title": course.title})
    return redirect("courses:detail", pk=course.pk)


def session_calendar(request, pk):
    """The session as a .ics file; the online link only for those enrolled."""
    session = get_object_or_404(Session.objects.select_related("course__unit", "course__authority"), pk=pk)
    course = _visible_course(session.course_id)
    enrolled = request.user.is_authenticated and course.enrolments.enrolled().filter(volunteer=request.user).exists()
    response = HttpResponse(session_ics(session, online_url=course.online_url if enrolled else ""),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-session-{session.pk}.ics"'
    return response
