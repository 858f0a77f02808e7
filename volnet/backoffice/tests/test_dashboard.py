"""工作總覽: members without insurance, hours entered this month, pending approvals and applications."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.records import services
from volnet.records.models import InsurancePolicy, RecordBookApplication
from volnet.recruitment.models import Application, Posting
from volnet.units.models import Membership

URL = reverse("backoffice:home")


def test_members_without_current_insurance_are_listed(staff_client, supervisor_a, volunteer, unit_a):
    insured = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=insured, unit=unit_a)
    today = timezone.localdate()
    policy = InsurancePolicy.objects.create(unit=unit_a, insurer="富邦", policy_number="P1",
                                            start_date=today - dt.timedelta(days=10),
                                            end_date=today + dt.timedelta(days=10))
    policy.volunteers.add(insured)
    expired = InsurancePolicy.objects.create(unit=unit_a, insurer="富邦", policy_number="P0",
                                             start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 12, 31))
    expired.volunteers.add(volunteer)
    response = staff_client(supervisor_a).get(URL)
    assert [m.volunteer for m in response.context["uninsured"]] == [volunteer]
    assert response.context["members"] == 2


def test_hours_entered_this_month_and_pending_work(staff_client, supervisor_a, volunteer, unit_a, service_record):
    service_record(hours="3.5")
    service_record(hours="2", start=dt.date(2025, 3, 2))
    old = service_record(hours="9", start=dt.date(2025, 3, 3))
    old.created_at = timezone.now() - dt.timedelta(days=62)
    old.save()
    services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content="自填",
                          start_date=dt.date(2025, 4, 1), hours=Decimal("1"))
    posting = Posting.objects.create(unit=unit_a, title="導覽志工", service_item="文化藝術服務", place="館內",
                                     start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), quota=3)
    Application.objects.create(posting=posting, volunteer=make_person("A123456789", "王小明"))
    RecordBookApplication.objects.create(volunteer=volunteer, unit=unit_a, kind="first", category="social_welfare")
    response = staff_client(supervisor_a).get(URL)
    context = response.context
    assert context["entered"]["hours"] == Decimal("5.5") and context["entered"]["count"] == 2
    assert context["pending_approvals"] == 1
    assert context["pending_applications"] == 1
    assert context["pending_books"] == 1
    assert "5.5 小時" in response.content.decode()


def test_the_dashboard_counts_only_the_current_unit(staff_client, supervisor_b, other_volunteer, service_record):
    service_record(hours="3.5")
    context = staff_client(supervisor_b).get(URL).context
    assert context["entered"]["count"] == 0 and context["members"] == 1
