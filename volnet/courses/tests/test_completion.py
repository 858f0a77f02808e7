"""Attendance to records: the roll, the completion that numbers 結業證書 per organiser and year and writes training
records in one transaction, the refusals that leave nothing written, the PDF, the reminder the day before."""

import datetime as dt
import io

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.courses import completion, services
from volnet.courses.models import Attendance, Enrolment
from volnet.courses.services import CourseError
from volnet.courses.tests.builders import publish
from volnet.documents.models import Document
from volnet.notifications.models import Kind, Notification
from volnet.records.models import TrainingRecord
from volnet.records.tests.excel_files import valid_id

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def course(supervisor_a, unit_a):
    return publish(supervisor_a, TODAY, unit=unit_a, capacity=3)


@pytest.fixture
def learners(course):
    people = [make_person(valid_id("K", f"1{n:07d}"), name, email=f"k{n}@example.tw")
              for n, name in enumerate(["王小明", "李小華", "張大千", "陳候補"])]
    return [services.enrol(course, person, today=TODAY) for person in people]


def roll_all(course, supervisor, present):
    for session in course.sessions.all():
        completion.take_attendance(session, supervisor, [e.pk for e in present], today=session.date)


def test_completion_numbers_certificates_in_sequence_and_writes_the_records(course, learners, supervisor_a, unit_a):
    first, second, third, waiting = learners
    roll_all(course, supervisor_a, [first, second, third])
    done = completion.complete(course, supervisor_a, {first.pk: "6", second.pk: "6.0"}, today=course.last_day)
    year = course.last_day.year - 1911
    assert [e.certificate_number for e in done] == [f"2-299-結訓-{year}-0001", f"2-299-結訓-{year}-0002"]
    record = TrainingRecord.objects.counting().get(volunteer=first.volunteer)
    assert (record.kind, record.organiser, record.minutes, record.sessions) == (
        "basic", "2-299臺中市樂樂發展協會-樂樂志工隊(測試用)", 360, 3)
    assert (record.start_date, record.end_date, record.unit) == (course.first_day, course.last_day, unit_a)
    assert record.certificate_number == f"2-299-結訓-{year}-0001"
    assert Notification.objects.get(person=second.volunteer, kind=Kind.COURSE_COMPLETED).text == (
        f"您已完成「115年度志願服務基礎訓練」，結業證書字號 2-299-結訓-{year}-0002，訓練時數已登錄在教育訓練時數。")
    # the next course of the same organiser carries on the sequence
    more = completion.complete(course, supervisor_a, {third.pk: "6"}, today=course.last_day)
    assert more[0].certificate_number == f"2-299-結訓-{year}-0003"


def test_a_second_completion_hours_that_do_not_match_or_a_missed_session_write_nothing(course, learners,
                                                                                        supervisor_a):
    first, second, third, _waiting = learners
    roll_all(course, supervisor_a, [first, second])
    completion.complete(course, supervisor_a, {first.pk: "6"}, today=course.last_day)
    with pytest.raises(CourseError) as refused:
        completion.complete(course, supervisor_a, {first.pk: "6", second.pk: "5", third.pk: "6"},
                            today=course.last_day)
    message = refused.value.message
    assert "王小明 已於" in message and "同一門課不能再結訓一次" in message
    assert "李小華 的時數 5 與各場次合計 6 小時不符" in message
    assert "張大千 缺席" in message and "未全程參與" in message
    assert TrainingRecord.objects.count() == 1 and Enrolment.objects.filter(completed_on__isnull=False).count() == 1
    with pytest.raises(CourseError, match="上完課後才能結訓"):
        completion.complete(course, supervisor_a, {second.pk: "6"}, today=course.first_day)


def test_attendance_for_someone_not_enrolled_is_refused_and_the_roll_unchanged(course, learners, supervisor_a):
    first, _second, _third, waiting = learners
    assert waiting.status == "waiting"
    session = course.sessions.first()
    with pytest.raises(CourseError, match="陳候補 沒有報名（或仍在候補），不能登錄出席"):
        completion.take_attendance(session, supervisor_a, [first.pk, waiting.pk], today=session.date)
    with pytest.raises(CourseError, match="當天起才能點名"):
        completion.take_attendance(session, supervisor_a, [first.pk], today=session.date - dt.timedelta(days=1))
    assert not Attendance.objects.exists()
    assert completion.take_attendance(session, supervisor_a, [first.pk], today=session.date) == (1, 2)


def test_another_units_staff_cannot_take_the_roll_or_complete(course, learners, supervisor_b):
    session = course.sessions.first()
    with pytest.raises(CourseError):
        completion.take_attendance(session, supervisor_b, [learners[0].pk], today=session.date)
    with pytest.raises(CourseError):
        completion.complete(course, supervisor_b, {learners[0].pk: "6"}, today=course.last_day)


def test_an_authoritys_course_writes_records_no_unit_entered(authority, authority_clerk, volunteer):
    course = publish(authority_clerk, TODAY, authority=authority)
    enrolment = services.enrol(course, volunteer, today=TODAY)
    roll_all(course, authority_clerk, [enrolment])
    [done] = completion.complete(course, authority_clerk, {enrolment.pk: "6"}, today=course.last_day)
    assert done.certificate_number.startswith("TXG-SOC-結訓-")
    record = done.training_record
    assert (record.unit, record.organiser) == (None, "臺中市政府社會局")
    assert TrainingRecord.objects.counting().filter(volunteer=volunteer).count() == 1


def test_the_certificate_pdf_carries_the_number_and_a_verification_code(course, learners, supervisor_a, client):
    first = learners[0]
    roll_all(course, supervisor_a, [first])
    [done] = completion.complete(course, supervisor_a, {first.pk: "6"}, today=course.last_day)
    client.force_login(first.volunteer)
    response = client.get(reverse("courses:certificate", args=[done.pk]))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    document = Document.objects.get(kind=Document.Kind.TRAINING, person=first.volunteer)
    assert done.certificate_number in text and "王小明" in text and "志願服務法規之認識" in text
    assert document.display_code in text.replace(" ", "")
    assert client.get(reverse("documents:verify", args=[document.display_code])).status_code == 200
    client.force_login(learners[1].volunteer)
    assert client.get(reverse("courses:certificate", args=[done.pk])).status_code == 404


def test_the_reminder_tells_those_enrolled_the_day_before_once(course, learners):
    first_day = course.first_day
    assert completion.remind_day_before(today=first_day - dt.timedelta(days=2)) == 0
    assert completion.remind_day_before(today=first_day - dt.timedelta(days=1)) == 3  # the waiting one is not told
    assert completion.remind_day_before(today=first_day - dt.timedelta(days=1)) == 0
    note = Notification.objects.filter(kind=Kind.COURSE_REMINDER).first()
    assert "明天" in note.text and "志願服務內涵及倫理" in note.text and "3 樓會議室" in note.text


def test_the_daily_beat_job_runs_the_reminder(settings, course, learners, clock):
    from celery import current_app

    from volnet.courses import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["courses.remind_day_before"]
    assert str(entry["schedule"]) == "<crontab: 0 9 * * * (m/h/dM/MY/d)>"  # every morning
    assert current_app.tasks[entry["task"]].name == tasks.remind_day_before.name
    eve = dt.datetime.combine(course.first_day - dt.timedelta(days=1), dt.time(12), timezone.get_current_timezone())
    clock.move_to(eve)
    assert tasks.remind_day_before.delay().get() == 3
    assert Notification.objects.filter(kind=Kind.COURSE_REMINDER).count() == 3
