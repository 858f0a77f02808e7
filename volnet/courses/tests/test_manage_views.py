"""The organiser's pages: publish through the form, the roll on a phone, completion and its refusals, tenancy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from volnet.courses import services
from volnet.courses.models import Attendance, Course, Enrolment
from volnet.courses.tests.builders import publish
from volnet.records.models import TrainingRecord

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def roc(day):
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def form_data(first, **extra):
    data = {"organiser": "", "kind": "basic", "category": "", "title": "基礎訓練（夜間班）", "description": "",
            "place": "樂樂會館", "online_url": "", "capacity": "20", "audience": "anyone",
            "enrol_from": roc(TODAY), "enrol_until": roc(first), "contact_name": "何小倫", "contact_phone": "",
            "contact_email": "", "s-TOTAL_FORMS": "3", "s-INITIAL_FORMS": "0", "s-MIN_NUM_FORMS": "1",
            "s-MAX_NUM_FORMS": "30"}
    for n, (subject, _minutes) in enumerate(services.BASIC_SUBJECTS):
        data.update({f"s-{n}-subject": subject, f"s-{n}-date": roc(first + dt.timedelta(days=n)),
                     f"s-{n}-starts_at": "19:00", f"s-{n}-ends_at": "21:00", f"s-{n}-hours": "2"})
    data.update(extra)
    return data


def test_a_supervisor_publishes_through_the_form(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("courses:manage_new") + "?kind=basic").content.decode()
    assert "志願服務內涵及倫理" in page and "志願服務法規之認識" in page  # the set courses filled in
    first = TODAY + dt.timedelta(days=14)
    response = client.post(reverse("courses:manage_new"), form_data(first, organiser=f"u{unit_a.pk}"))
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("courses:manage_detail", args=[course.pk])
    assert (course.unit, course.capacity, course.first_day) == (unit_a, 20, first)


def test_bad_input_is_a_message_and_keeps_what_was_typed(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    first = TODAY + dt.timedelta(days=14)
    data = form_data(first, organiser=f"u{unit_a.pk}", **{"s-2-hours": "1", "s-1-date": "115/02/30"})
    response = client.post(reverse("courses:manage_new"), data)
    page = response.content.decode()
    assert response.status_code == 400 and not Course.objects.exists()
    assert "民國 115 年 2 月 30 日不存在" in page and "基礎訓練（夜間班）" in page
    data = form_data(first, organiser=f"u{unit_a.pk}", **{"s-2-hours": "1"})
    page = client.post(reverse("courses:manage_new"), data).content.decode()
    assert "共需 6 小時，各場次合計只有 5 小時" in page
    forged = client.post(reverse("courses:manage_new"), form_data(first, organiser="u999999"))
    assert forged.status_code == 400 and not Course.objects.exists()


@pytest.fixture
def running(supervisor_a, unit_a, volunteer, other_volunteer):
    course = publish(supervisor_a, TODAY, unit=unit_a, capacity=1,
                     sessions=[services.SessionInput("志願服務內涵及倫理", TODAY, dt.time(0, 0), dt.time(6, 0), 360)],
                     enrol_until=TODAY, kind="special", category="social_welfare", title="社福特訓")
    return course, services.enrol(course, volunteer, today=TODAY), services.enrol(course, other_volunteer, today=TODAY)


def test_roll_and_completion_on_the_pages(client, supervisor_a, running, volunteer):
    course, enrolled, waiting = running
    session = course.sessions.get()
    client.force_login(supervisor_a)
    roll = client.get(reverse("courses:manage_roll", args=[session.pk])).content.decode()
    assert "測試熊" in roll and "陳大同" not in roll
    refused = client.post(reverse("courses:manage_roll", args=[session.pk]), {"present": [enrolled.pk, waiting.pk]})
    assert refused.status_code == 400 and "陳大同 沒有報名（或仍在候補）" in refused.content.decode()
    assert not Attendance.objects.exists()
    client.post(reverse("courses:manage_roll", args=[session.pk]), {"present": [enrolled.pk, "x"]})
    assert Attendance.objects.get().present
    bad = client.post(reverse("courses:manage_complete", args=[course.pk]),
                      {"complete": [enrolled.pk], f"hours-{enrolled.pk}": "5.5"})
    assert bad.status_code == 400 and "測試熊 的時數 5.5 與各場次合計 6 小時不符" in bad.content.decode()
    assert 'value="5.5"' in bad.content.decode() and not TrainingRecord.objects.exists()
    done = client.post(reverse("courses:manage_complete", args=[course.pk]),
                       {"complete": [enrolled.pk], f"hours-{enrolled.pk}": "6"}, follow=True)
    number = Enrolment.objects.get(pk=enrolled.pk).certificate_number
    assert number in done.content.decode()
    assert TrainingRecord.objects.get(volunteer=volunteer).certificate_number == number
    client.force_login(volunteer)
    tab = client.get(reverse("portal:services") + "?tab=training").content.decode()
    assert "社福特訓" in tab and number in tab


def test_another_units_staff_reach_none_of_it(client, supervisor_b, running):
    course, enrolled, _waiting = running
    client.force_login(supervisor_b)
    for url in [reverse("courses:manage_detail", args=[course.pk]), reverse("courses:manage_edit", args=[course.pk]),
                reverse("courses:manage_cancel", args=[course.pk]),
                reverse("courses:manage_roll", args=[course.sessions.get().pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("courses:manage_complete", args=[course.pk]),
                       {"complete": [enrolled.pk], f"hours-{enrolled.pk}": "6"}).status_code == 404
    assert "社福特訓" not in client.get(reverse("courses:manage")).content.decode()
