"""20 volunteers enrolling at the same moment for 10 seats: exactly 10 enrolled and 10 waiting.

Real threads, each with its own database connection (conftest.all_at_once). On PostgreSQL (CI's second run,
DATABASE_URL) the seats are counted under the course row's lock (SELECT … FOR UPDATE); without it, concurrent
transactions each count 9 taken and more than 10 get a seat. SQLite serialises writers by itself."""

import threading

import pytest
from django.utils import timezone

from conftest import all_at_once, make_person
from volnet.accounts.models import User
from volnet.courses import services
from volnet.courses.models import Course, Enrolment
from volnet.courses.tests.builders import publish
from volnet.records.tests.excel_files import valid_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_enrolments_for_ten_seats_leave_ten_enrolled_and_ten_waiting(supervisor_a, unit_a):
    today = timezone.localdate()
    course = publish(supervisor_a, today, unit=unit_a, capacity=10)
    waiting_ids = [make_person(valid_id("K", f"1{n:07d}"), f"學員{n}").pk for n in range(20)]
    lock = threading.Lock()

    def enrol():
        with lock:
            person = User.objects.get(pk=waiting_ids.pop())
        return services.enrol(Course.objects.get(pk=course.pk), person, today=today).status

    statuses = all_at_once(enrol, 20)
    assert sorted(statuses).count("enrolled") == 10 and statuses.count("waiting") == 10
    assert Enrolment.objects.filter(course=course, status="enrolled").count() == 10
    assert Enrolment.objects.filter(course=course, status="waiting").count() == 10
