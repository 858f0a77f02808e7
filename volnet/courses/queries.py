"""Reads of the course pages: a course with its seats and the reader's enrolment, the volunteer's enrolments."""

import dataclasses

from django.db.models import Case, Count, F, Q, Value, When

from volnet.courses.models import Attendance, Course, Enrolment
from volnet.eligibility.engine import training_gaps
from volnet.records.models import RecordBook
from volnet.units import access
from volnet.units.choices import ServiceCategory
from volnet.units.models import Unit


def seats(course):
    """(enrolled, waiting, seats left)."""
    enrolled = course.enrolments.enrolled().count()
    waiting = course.enrolments.waiting().count()
    return enrolled, waiting, max(course.capacity - enrolled, 0)


def course_page(course, user, today):
    enrolled, waiting, left = seats(course)
    enrolment = None
    if getattr(user, "is_authenticated", False):
        enrolment = course.enrolments.open().filter(volunteer=user).first() or (
            course.enrolments.filter(volunteer=user).order_by("-created_at", "-id").first())
    place = None
    if enrolment is not None and enrolment.status == Enrolment.Status.WAITING:
        place = waiting_place(enrolment)
    return {
        "course": course, "sessions": list(course.sessions.all()), "enrolled": enrolled, "waiting": waiting,
        "left": left, "enrolment": enrolment, "waiting_place": place,
        "is_open": course.enrolment_open_on(today), "today": today,
        "total_minutes": sum(s.minutes for s in course.sessions.all()),
    }


def enrolments_for(volunteer):
    """The volunteer's enrolments, newest course first (我的檔案)."""
    return (Enrolment.objects.filter(volunteer=volunteer)
            .select_related("course__unit", "course__authority").order_by("-course__first_day", "-created_at"))


def waiting_place(enrolment):
    """1 for the first on the waiting list."""
    queue = Enrolment.objects.waiting().filter(course_id=enrolment.course_id)
    return queue.filter(created_at__lt=enrolment.created_at).count() + queue.filter(
        created_at=enrolment.created_at, pk__lt=enrolment.pk).count() + 1


def browse(today, *, city=None, category=None, start=None, basic_first=False):
    """Upcoming published courses of operating organisers, soonest first; `basic_first` puts 基礎訓練 ahead
    (for a volunteer who has not completed it). `category`: "basic" or a category of 特殊訓練."""
    courses = (Course.objects.upcoming(today).exclude(unit__is_active=False)
               .select_related("unit__authority", "authority")
               .annotate(taken=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)))
               .annotate(left=F("capacity") - F("taken")))
    if city is not None:
        courses = courses.in_city(city)
    if category == Course.Kind.BASIC:
        courses = courses.filter(kind=Course.Kind.BASIC)
    elif category:
        courses = courses.filter(kind=Course.Kind.SPECIAL, category=category)
    if start is not None:
        courses = courses.filter(last_day__gte=start)
    order = ["first_day", "id"]
    if basic_first:
        courses = courses.annotate(basic_rank=Case(When(kind=Course.Kind.BASIC, then=Value(0)), default=Value(1)))
        order = ["basic_rank", *order]
    return courses.order_by(*order)


def serving_categories(volunteer):
    """The categories the volunteer serves in now (their units' categories) and their record book's: the
    特殊訓練 each needs (domain.md §3.2, the cross-category rule)."""
    units = Unit.objects.served_by(volunteer)
    categories = {category for category in units.values_list("category", flat=True) if category}
    book = RecordBook.objects.valid().filter(volunteer=volunteer).values_list("category", flat=True).first()
    if book:
        categories.add(book)
    return sorted(categories)


@dataclasses.dataclass
class Hint:
    lacks_basic: bool
    lacks_special: list  # [(category value, label)]
    courses: list  # upcoming courses that fit, near the volunteer first


def eligibility_hint(volunteer, today, limit=4):
    """What training the volunteer lacks and which upcoming courses fit: 基礎訓練 if it is not complete, the
    特殊訓練 of each category they serve in that is not on record. Courses in the cities of their units
    first (all cities when they serve nowhere). None when nothing is lacking."""
    gaps = training_gaps(volunteer, serving_categories(volunteer), today)
    if not gaps:
        return None
    fits = Q(kind=Course.Kind.SPECIAL, category__in=gaps.special)
    if gaps.basic:
        fits |= Q(kind=Course.Kind.BASIC)
    cities = list(Unit.objects.served_by(volunteer).values_list("authority_id", flat=True).distinct())
    courses = browse(today, basic_first=gaps.basic).filter(fits).filter(enrol_until__gte=today)
    courses = [c for c in courses if c.audience == Course.Audience.ANYONE
               or access.serves_under(volunteer, unit=c.unit, authority=c.authority)]
    if cities:
        courses.sort(key=lambda c: c.city.pk not in cities)  # stable: near ones first, each in date order
    labels = dict(ServiceCategory.choices)
    return Hint(lacks_basic=gaps.basic, lacks_special=[(c, labels.get(c, c)) for c in gaps.special],
                courses=courses[:limit])


def organisers(user):
    """[(key, label, unit or authority)] the user publishes courses for: their own units, their authorities."""
    return ([(f"u{unit.pk}", unit.label, unit) for unit in access.staffed_units(user).order_by("code", "name")]
            + [(f"a{a.pk}", a.name, a) for a in access.authorities_of(user).order_by("code")])


def managed_courses(user):
    """Courses of the organisers the user runs courses for (units.access decides)."""
    return (Course.objects.of_organisers(access.staffed_units(user), access.authorities_of(user))
            .select_related("unit", "authority")
            .annotate(taken=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)),
                      queued=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING))))


def attended(course):
    """{enrolment id: set of session ids present}."""
    found = {}
    for enrolment_id, session_id in Attendance.objects.filter(session__course=course, present=True).values_list(
            "enrolment_id", "session_id"):
        found.setdefault(enrolment_id, set()).add(session_id)
    return found


def roster(course):
    """The organiser's view of a course: (enrolled with their attendance, waiting), in enrolment order."""
    present = attended(course)
    enrolled = list(course.enrolments.enrolled().select_related("volunteer").order_by("created_at", "id"))
    for enrolment in enrolled:
        enrolment.present_sessions = present.get(enrolment.pk, set())
    return enrolled, list(course.enrolments.waiting().select_related("volunteer"))
