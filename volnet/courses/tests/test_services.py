"""Publishing, changing and cancelling a course; enrolling, cancelling, the waiting list moving up; who is told."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.courses import services
from volnet.courses.models import Course, Enrolment
from volnet.courses.services import CourseError, SessionInput
from volnet.courses.tests.builders import basic_sessions, publish
from volnet.notifications.models import Kind, Notification
from volnet.records.tests.excel_files import valid_id
from volnet.units.models import Membership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def people(count, unit=None):
    found = []
    for n in range(count):
        person = make_person(valid_id("K", f"1{n:07d}"), f"學員{n}", email=f"p{n}@example.tw")
        if unit is not None:
            Membership.objects.create(volunteer=person, unit=unit)
        found.append(person)
    return found


@pytest.fixture
def course(supervisor_a, unit_a):
    return publish(supervisor_a, TODAY, unit=unit_a, capacity=2)


def test_a_unit_publishes_basic_training_of_the_three_set_courses(course, unit_a):
    assert course.organiser == unit_a
    assert course.organiser_name == "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)"
    assert [s.subject for s in course.sessions.all()] == [name for name, _minutes in services.BASIC_SUBJECTS]
    assert (course.first_day, course.last_day) == (TODAY + dt.timedelta(days=7), TODAY + dt.timedelta(days=9))
    assert AuditEntry.objects.filter(action="courses.course.published").count() == 1


def test_basic_training_without_a_set_course_or_short_of_six_hours_is_refused(supervisor_a, unit_a):
    first = TODAY + dt.timedelta(days=7)
    with pytest.raises(CourseError, match="缺少：志願服務法規之認識"):
        publish(supervisor_a, TODAY, unit=unit_a, sessions=basic_sessions(first)[:2])
    short = [SessionInput(s.subject, s.date, s.starts_at, s.ends_at, 60) for s in basic_sessions(first)]
    with pytest.raises(CourseError, match="共需 6 小時，各場次合計只有 3 小時"):
        publish(supervisor_a, TODAY, unit=unit_a, sessions=short)
    assert not Course.objects.exists()


def test_bad_sessions_and_windows_say_what_is_wrong(supervisor_a, unit_a):
    first = TODAY + dt.timedelta(days=7)
    long = [SessionInput("社會福利概述", first, dt.time(9), dt.time(10), 120)]
    with pytest.raises(CourseError, match="時數 2 小時超過上課時間 1 小時"):
        publish(supervisor_a, TODAY, unit=unit_a, kind="special", category="social_welfare", sessions=long)
    with pytest.raises(CourseError, match="特殊訓練須選擇服務類別"):
        publish(supervisor_a, TODAY, unit=unit_a, kind="special", category="")
    with pytest.raises(CourseError, match="報名截止日須在第一場"):
        publish(supervisor_a, TODAY, unit=unit_a, enrol_until=first + dt.timedelta(days=1))
    with pytest.raises(CourseError, match="上課地點或線上課程連結"):
        publish(supervisor_a, TODAY, unit=unit_a, place="", online_url="")
    assert not Course.objects.exists()


def test_only_the_organisers_own_staff_publish(supervisor_b, unit_a, authority, authority_clerk):
    with pytest.raises(CourseError) as refused:
        publish(supervisor_b, TODAY, unit=unit_a)
    assert refused.value.code == "forbidden"
    with pytest.raises(CourseError):
        publish(authority_clerk, TODAY, unit=unit_a)  # an authority publishes for itself, not for its units
    course = publish(authority_clerk, TODAY, authority=authority)
    assert course.organiser_name == "臺中市政府社會局" and course.city == authority


def test_enrolment_takes_a_seat_then_waits_in_order(course):
    first, second, third, fourth = people(4)
    assert services.enrol(course, first, today=TODAY).status == Enrolment.Status.ENROLLED
    assert services.enrol(course, second, today=TODAY).status == Enrolment.Status.ENROLLED
    assert services.enrol(course, third, today=TODAY).status == Enrolment.Status.WAITING
    waiting = services.enrol(course, fourth, today=TODAY)
    assert waiting.status == Enrolment.Status.WAITING
    assert Notification.objects.get(person=first).kind == Kind.COURSE_ENROLLED
    told = Notification.objects.get(person=fourth).text
    assert told.startswith("「115年度志願服務基礎訓練」已額滿，您在候補名單第 2 位")


def test_a_cancelled_seat_goes_to_the_first_waiting_who_is_told(course, mailoutbox):
    first, second, third, fourth = people(4)
    enrolments = [services.enrol(course, person, today=TODAY) for person in (first, second, third, fourth)]
    services.cancel_enrolment(enrolments[0], first)
    statuses = dict(Enrolment.objects.values_list("volunteer_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "enrolled", third.pk: "enrolled", fourth.pk: "waiting"}
    moved = Notification.objects.get(person=third, kind=Kind.COURSE_MOVED_UP)
    assert "已由候補遞補為「115年度志願服務基礎訓練」的正式學員" in moved.text
    assert any(third.email in message.to for message in mailoutbox)
    # a waiting person who cancels frees no seat: nobody moves
    services.cancel_enrolment(enrolments[3], fourth)
    assert Enrolment.objects.enrolled().count() == 2


def test_enrolling_twice_outside_the_window_or_outside_the_audience_is_refused(course, supervisor_a, unit_a, unit_b,
                                                                              volunteer, other_volunteer):
    services.enrol(course, volunteer, today=TODAY)
    with pytest.raises(CourseError, match="您已報名「115年度志願服務基礎訓練」（已報名）"):
        services.enrol(course, volunteer, today=TODAY)
    with pytest.raises(CourseError, match="報名期間為") as late:
        services.enrol(course, other_volunteer, today=TODAY + dt.timedelta(days=6))
    assert late.value.code == "window"
    own = publish(supervisor_a, TODAY, unit=unit_a, audience="own", title="樂樂隊內特訓")
    with pytest.raises(CourseError, match="只開放臺中市樂樂發展協會-樂樂志工隊\\(測試用\\)所屬的志工報名"):
        services.enrol(own, other_volunteer, today=TODAY)
    assert services.enrol(own, volunteer, today=TODAY).status == "enrolled"
    assert Enrolment.objects.filter(volunteer=other_volunteer).count() == 0


def test_no_cancelling_once_the_course_began(course, volunteer):
    enrolment = services.enrol(course, volunteer, today=TODAY)
    started = timezone.make_aware(dt.datetime.combine(course.first_day, dt.time(9, 30)))
    with pytest.raises(CourseError, match="已經開始上課"):
        services.cancel_enrolment(enrolment, volunteer, now=started)
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_a_change_of_time_or_place_tells_those_enrolled_and_waiting(course, supervisor_a):
    first, second, waiting = people(3)
    for person in (first, second, waiting):
        services.enrol(course, person, today=TODAY)
    sessions = [SessionInput(s.subject, s.date, s.starts_at, s.ends_at, s.minutes, pk=s.pk)
                for s in course.sessions.all()]
    sessions[0].starts_at, sessions[0].ends_at = dt.time(13), dt.time(15)
    services.change(course, supervisor_a, sessions=sessions, place="臺中市志工中心", capacity=3, today=TODAY)
    told = Notification.objects.filter(kind=Kind.COURSE_CHANGED)
    assert told.count() == 3
    assert "有變更：上課地點、場次時間" in told.first().text
    # the seat added moved the first waiting up
    assert Notification.objects.get(kind=Kind.COURSE_MOVED_UP).person == waiting
    with pytest.raises(CourseError, match="已有 3 人報名，名額不可少於 3"):
        services.change(course, supervisor_a, sessions=sessions, capacity=1, today=TODAY)


def test_cancelling_a_course_tells_everyone_and_keeps_it_listed(course, supervisor_a, supervisor_b):
    enrolled, other, waiting = people(3)
    for person in (enrolled, other, waiting):
        services.enrol(course, person, today=TODAY)
    with pytest.raises(CourseError, match="請填寫取消原因"):
        services.cancel(course, supervisor_a, " ")
    with pytest.raises(CourseError):
        services.cancel(course, supervisor_b, "颱風")
    services.cancel(course, supervisor_a, "颱風停班停課")
    notes = Notification.objects.filter(kind=Kind.COURSE_CANCELLED)
    assert notes.count() == 3 and "已取消：颱風停班停課" in notes.first().text
    with pytest.raises(CourseError, match="已取消，不受理報名"):
        services.enrol(course, make_person("A800000014", "晚到者"), today=TODAY)
