"""The back office in English: staff who chose English in the footer read every heading, label, error
and message in English; what people entered (names, units, service items) stays as it was typed, and
what the audit log stores stays in the site's own language."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import ideographs, in_english, make_person
from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import InsurancePolicy
from volnet.units.models import Authority, StaffRole, Unit


@pytest.fixture
def staff_in_english(staff_client):
    """staff_in_english(user) → the test client signed in as `user`, with English chosen in the footer."""
    return lambda user: in_english(staff_client(user))


@pytest.fixture
def english_unit(db):
    """A unit and its supervisor whose names hold no Chinese, so a page of theirs may hold none at all."""
    authority = Authority.objects.create(code="KHH-SOC", name="Kaohsiung Social Affairs Bureau")
    unit = Unit.objects.create(code="9-001", name="Harbour Volunteers", authority=authority)
    supervisor = make_person("A123456789", "Amy Lin", email="amy@example.tw")
    StaffRole.objects.create(user=supervisor, role="supervisor", unit=unit)
    return unit, supervisor


def test_the_dashboard_reads_in_english_with_no_chinese_left(staff_in_english, english_unit):
    _unit, supervisor = english_unit
    response = staff_in_english(supervisor).get(reverse("backoffice:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<h1>Overview</h1>" in html
    for words in ("Volunteers now serving", "Volunteers with no insurance now", "Service hours entered this month",
                  "Common tasks", "Add a volunteer", "Monthly hours entry", "Audit log", "Back office menu"):
        assert words in html
    assert ideographs(html) == []


def test_the_add_volunteer_form_and_its_errors_read_in_english(staff_in_english, english_unit):
    _unit, supervisor = english_unit
    client = staff_in_english(supervisor)
    html = client.get(reverse("backoffice:volunteer_add")).content.decode()
    assert "<h1>Add a volunteer</h1>" in html
    assert "National ID number" in html and ">Next</button>" in html
    assert ideographs(html) == []
    refused = client.post(reverse("backoffice:volunteer_add"), {"step": "lookup", "national_id": ""})
    html = refused.content.decode()
    assert "Please correct the following, then send again:" in html
    assert "This field is required." in html
    assert ideographs(html) == []


def test_the_list_pages_name_each_kind_in_whole_phrases(staff_in_english, supervisor_a, unit_a):
    policy = InsurancePolicy.objects.create(unit=unit_a, insurer="Fubon", policy_number="P1",
                                            start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    client = staff_in_english(supervisor_a)
    listing = client.get(reverse("backoffice:insurance")).content.decode()
    assert "<h1>Volunteer insurance</h1>" in listing and "Add volunteer insurance" in listing
    assert 'aria-label="Search volunteer insurance"' in listing
    deleting = client.get(reverse("backoffice:insurance_delete", args=[policy.pk])).content.decode()
    assert "<h1>Delete this insurance policy?</h1>" in deleting
    assert "Fubon / policy P1 / " in deleting


def test_approving_hours_says_so_in_english(staff_in_english, supervisor_a, volunteer, unit_a):
    record = services.report_hours(volunteer=volunteer, unit=unit_a, service_item="綜合服務", content="自填",
                                   start_date=dt.date(2025, 4, 1), hours=Decimal("1"))
    client = staff_in_english(supervisor_a)
    refused = client.post(reverse("backoffice:approvals"), {"unit": unit_a.pk}).content.decode()
    assert "Please choose whether to approve or send back." in refused
    response = client.post(reverse("backoffice:approvals"), {"unit": unit_a.pk, "approve_one": record.pk},
                           follow=True)
    assert "Approved 1 entry of hours." in response.content.decode()


def test_the_monthly_grid_explains_an_empty_grid_in_english(staff_in_english, supervisor_a, volunteer):
    data = {"start": "114/03/01", "end": "114/03/31", "item": "綜合服務", "content": "電話問安",
            f"h-{volunteer.pk}": ""}
    html = staff_in_english(supervisor_a).post(reverse("backoffice:service_grid"), data).content.decode()
    assert "Nothing has been saved yet." in html
    assert "Please enter hours for at least one volunteer." in html


def test_an_edit_in_english_keeps_the_audit_log_in_chinese(staff_in_english, supervisor_a, volunteer):
    client = staff_in_english(supervisor_a)
    form = {"name": volunteer.name, "birth_date": "070/05/20", "sex": "M", "email": volunteer.email,
            "phone": "04-2222-3333", "address": "", "emergency_contact": "", "emergency_phone": ""}
    response = client.post(reverse("backoffice:volunteer_edit", args=[volunteer.pk]), form, follow=True)
    assert f"The details of {volunteer.name} have been updated (" in response.content.decode()
    entry = AuditEntry.objects.get(action="backoffice.volunteer.updated")
    assert list(entry.changes) == ["電話"]


def test_the_chinese_pages_are_unchanged_without_the_choice(staff_client, supervisor_a, volunteer):
    html = staff_client(supervisor_a).get(reverse("backoffice:home")).content.decode()
    assert "<h1>工作總覽</h1>" in html and "服務中的志工" in html and "Overview" not in html


def test_a_records_history_names_the_changed_fields_in_english(staff_in_english, supervisor_a, volunteer, unit_a):
    record = services.add_service(actor=supervisor_a, unit=unit_a, volunteer=volunteer, service_item="綜合服務",
                                  content="電話問安", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 1),
                                  hours=Decimal("3"))
    client = staff_in_english(supervisor_a)
    client.post(reverse("backoffice:service_edit", args=[record.pk]),
                {"volunteer": volunteer.pk, "service_item": "綜合服務", "content": "電話問安",
                 "start_date": "114/03/01", "end_date": "114/03/01", "hours": "4"})
    assert AuditEntry.objects.filter(action="records.service.updated").exists()
    for url in (reverse("backoffice:service_history", args=[record.pk]), reverse("backoffice:audit")):
        html = client.get(url).content.decode()
        assert "Corrected service hours" in html or "Service hours" in html, url
        fields = re.findall(r'<th scope="row">(.*?)</th>', html)  # the values are what people typed
        assert "Hours" in fields or "Service hours" in fields, (url, fields)
        assert not ideographs("".join(fields)), (url, fields)


def test_a_reset_link_staff_send_in_english_reaches_the_volunteer_in_chinese(staff_in_english, supervisor_a,
                                                                              volunteer, mailbox):
    response = staff_in_english(supervisor_a).post(reverse("backoffice:volunteer_password", args=[volunteer.pk]),
                                                   {"action": "link"}, follow=True)
    assert "b***@example.tw" in response.content.decode()  # the page speaks to the staff member in English
    [message] = mailbox.wait_for(1, to="bear@example.tw")
    assert "志願服務資訊網" in message["Subject"]  # the volunteer never chose English
    assert "重新設定密碼" in message.get_body(preferencelist=("plain",)).get_content()
