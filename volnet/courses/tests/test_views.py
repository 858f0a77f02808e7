"""The volunteer's course pages: browse (基礎訓練 first for those without it), enrol, cancel, the .ics file read by a
calendar parser, 我的檔案 › 課程報名 and the hint of what training is lacking."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from volnet.courses.models import Enrolment
from volnet.courses.services import SessionInput
from volnet.courses.tests.builders import publish
from volnet.records.models import TrainingRecord
from volnet.units.models import Authority, StaffRole, Unit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def courses(supervisor_a, unit_a, unit_b, supervisor_b, authority_clerk, authority):
    special = publish(supervisor_b, TODAY, unit=unit_b, kind="special", category="social_welfare",
                      title="社會福利類特殊訓練", sessions=[
                          SessionInput("社會福利概述", TODAY + dt.timedelta(days=3), dt.time(9), dt.time(11), 120)],
                      enrol_until=TODAY + dt.timedelta(days=2))
    basic = publish(authority_clerk, TODAY, authority=authority, title="臺中市基礎訓練")
    taipei = Authority.objects.create(code="TPE-SOC", name="臺北市政府社會局")
    far_unit = Unit.objects.create(code="9-001", name="臺北市志工隊", authority=taipei)
    StaffRole.objects.create(user=supervisor_a, role="supervisor", unit=far_unit)
    far = publish(supervisor_a, TODAY, unit=far_unit, title="臺北市基礎訓練",
                  sessions=[SessionInput(s.subject, s.date + dt.timedelta(days=5), s.starts_at, s.ends_at, s.minutes)
                            for s in basic.sessions.all()])
    return {"special": special, "basic": basic, "far": far, "taipei": taipei}


def titles(response):
    return [course.title for course in response.context["page"].object_list]


def test_a_volunteer_without_basic_training_sees_it_first(client, volunteer, courses):
    assert titles(client.get(reverse("courses:list"))) == ["社會福利類特殊訓練", "臺中市基礎訓練", "臺北市基礎訓練"]
    client.force_login(volunteer)
    page = client.get(reverse("courses:list"))
    assert titles(page) == ["臺中市基礎訓練", "臺北市基礎訓練", "社會福利類特殊訓練"]
    assert "您還沒有完成基礎訓練（6 小時）" in page.content.decode()
    TrainingRecord.objects.create(volunteer=volunteer, unit=volunteer.memberships.first().unit, kind="basic",
                                  course="基礎訓練", organiser="推廣中心", start_date=dt.date(2024, 1, 5),
                                  minutes=360)
    page = client.get(reverse("courses:list"))
    assert titles(page)[0] == "社會福利類特殊訓練"
    assert "您還沒有完成基礎訓練" not in page.content.decode()


def test_filters_by_city_category_and_date_and_a_bad_date_is_a_message(client, courses):
    taipei = courses["taipei"]
    assert titles(client.get(reverse("courses:list"), {"city": taipei.pk})) == ["臺北市基礎訓練"]
    assert titles(client.get(reverse("courses:list"), {"category": "social_welfare"})) == ["社會福利類特殊訓練"]
    later = (TODAY + dt.timedelta(days=13))
    assert titles(client.get(reverse("courses:list"), {"start": f"{later.year - 1911}/{later.month}/{later.day}"})) \
        == ["臺北市基礎訓練"]
    bad = client.get(reverse("courses:list"), {"start": "115/02/30", "city": "x"})
    assert bad.status_code == 400
    assert "民國 115 年 2 月 30 日不存在" in bad.content.decode()


def test_enrol_then_cancel_on_the_course_page(client, volunteer, courses, mailoutbox):
    basic = courses["basic"]
    client.force_login(volunteer)
    response = client.post(reverse("courses:enrol", args=[basic.pk]), follow=True)
    assert "已報名「臺中市基礎訓練」" in response.content.decode()
    assert "您的報名狀態：" in response.content.decode() and "加入行事曆" in response.content.decode()
    again = client.post(reverse("courses:enrol", args=[basic.pk]))
    assert again.status_code == 400 and "您已報名「臺中市基礎訓練」（已報名）" in again.content.decode()
    mine = client.get(reverse("portal:courses"))
    assert "臺中市基礎訓練" in mine.content.decode()
    client.post(reverse("courses:cancel", args=[basic.pk]))
    assert Enrolment.objects.get(volunteer=volunteer).status == "cancelled"
    assert client.post(reverse("courses:cancel", args=[basic.pk])).status_code == 404


def test_enrolment_after_the_window_is_refused_with_the_window(client, volunteer, courses, clock):
    clock.move_to(timezone.now() + dt.timedelta(days=3))
    client.force_login(volunteer)
    response = client.post(reverse("courses:enrol", args=[courses["special"].pk]))
    assert response.status_code == 400
    assert "報名期間為" in response.content.decode() and "目前不受理報名" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_session_calendar_file_reads_in_a_calendar_parser(client, volunteer, courses):
    basic = courses["basic"]
    session = basic.sessions.first()
    response = client.get(reverse("courses:ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    taipei = zoneinfo.ZoneInfo("Asia/Taipei")
    assert event.decoded("DTSTART").astimezone(taipei) == dt.datetime.combine(session.date, session.starts_at, taipei)
    assert event.decoded("DTEND").astimezone(taipei) == dt.datetime.combine(session.date, session.ends_at, taipei)
    assert str(event["SUMMARY"]) == "臺中市基礎訓練：志願服務內涵及倫理"
    assert str(event["LOCATION"]) == "臺中市政府社會局 3 樓會議室"
    assert "何小倫" in str(event["DESCRIPTION"])


def test_the_online_link_is_in_the_calendar_only_for_those_enrolled(client, volunteer, supervisor_a, unit_a):
    course = publish(supervisor_a, TODAY, unit=unit_a, place="", online_url="https://meet.example.tw/abc,def;ghi")
    session = course.sessions.first()
    outsider = icalendar.Calendar.from_ical(client.get(reverse("courses:ics", args=[session.pk])).content)
    assert "meet.example.tw" not in outsider.walk("VEVENT")[0]["DESCRIPTION"]
    client.force_login(volunteer)
    client.post(reverse("courses:enrol", args=[course.pk]))
    [event] = icalendar.Calendar.from_ical(client.get(reverse("courses:ics", args=[session.pk])).content).walk("VEVENT")
    assert "https://meet.example.tw/abc,def;ghi" in str(event["DESCRIPTION"])


def test_the_hint_names_the_special_training_a_volunteers_category_needs(client, volunteer, unit_a, courses):
    unit_a.category = "social_welfare"
    unit_a.save()
    TrainingRecord.objects.create(volunteer=volunteer, unit=unit_a, kind="basic", course="基礎訓練",
                                  organiser="推廣中心", start_date=dt.date(2024, 1, 5), minutes=360)
    client.force_login(volunteer)
    page = client.get(reverse("portal:courses")).content.decode()
    assert "您服務的社會福利類還沒有特殊訓練紀錄" in page
    assert "社會福利類特殊訓練</a>" in page and "臺中市基礎訓練</a>" not in page
