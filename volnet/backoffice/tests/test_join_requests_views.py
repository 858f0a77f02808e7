"""志工管理 while a join request waits (domain.md §9.12): the unit sees a masked name, never contact data,
and manages nothing of the account; it may still enter the hours and training it witnessed."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.people import services as people
from volnet.records import services as records
from volnet.units.models import Membership


@pytest.fixture
def as_a(staff_client, supervisor_a, volunteer):
    return staff_client(supervisor_a)


@pytest.fixture
def asked(supervisor_a, unit_a, other_volunteer):
    other_volunteer.email = "datong@example.tw"
    other_volunteer.phone = "0933-444-555"
    other_volunteer.save()
    return people.request_membership(actor=supervisor_a, unit=unit_a, person=other_volunteer)


def page(client, name, *args, **params):
    return client.get(reverse(name, args=args), params).content.decode()


def test_the_list_shows_a_waiting_person_masked_without_contact_data(as_a, asked, other_volunteer):
    html = page(as_a, "backoffice:volunteers", status="pending")
    assert "陳○同" in html and "F13579****" in html and "待志工同意" in html
    assert "陳大同" not in html and "d***@example.tw" not in html
    assert reverse("backoffice:volunteer", args=[other_volunteer.pk]) not in html
    assert "待志工同意（1）" in page(as_a, "backoffice:volunteers")


def test_a_waiting_person_is_found_by_id_number_but_never_by_name(as_a, asked):
    assert "陳○同" in page(as_a, "backoffice:volunteers", status="all", q="F135792464")
    assert "陳○同" not in page(as_a, "backoffice:volunteers", status="all", q="大同")


def test_no_page_of_a_waiting_person_shows_contact_data(as_a, asked, other_volunteer):
    assert as_a.get(reverse("backoffice:volunteer", args=[other_volunteer.pk])).status_code == 404
    for name in ("backoffice:volunteer_edit", "backoffice:volunteer_password"):
        response = as_a.get(reverse(name, args=[other_volunteer.pk]))
        html = response.content.decode()
        assert response.status_code == 403 and "尚未同意加入本單位" in html
        assert "datong@example.tw" not in html and "0933-444-555" not in html and "陳大同" not in html


def test_after_the_person_accepts_the_unit_sees_and_acts(as_a, asked, other_volunteer):
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=True)
    html = page(as_a, "backoffice:volunteer", other_volunteer.pk)
    assert "陳大同" in html and "datong@example.tw" in html and "0933-444-555" in html
    response = as_a.post(reverse("backoffice:volunteer_password", args=[other_volunteer.pk]),
                         {"action": "temporary"}, follow=True)
    other_volunteer.refresh_from_db()
    assert other_volunteer.check_password(response.context["password"])


def test_hours_may_be_entered_for_a_waiting_person_picked_by_masked_name(as_a, asked, other_volunteer, unit_a):
    form = page(as_a, "backoffice:service_add", unit=unit_a.pk)
    assert "陳○同（F13579****）（待志工同意）" in form and "陳大同" not in form
    response = as_a.post(reverse("backoffice:service_add"), {
        "unit": unit_a.pk, "volunteer": other_volunteer.pk, "service_item": "綜合服務", "content": "關懷訪視",
        "start_date": "115/03/02", "end_date": "", "hours": "3"})
    assert response.status_code == 302
    listing = page(as_a, "backoffice:services", unit=unit_a.pk)
    assert "陳○同" in listing and "待志工同意" in listing and "陳大同" not in listing
    assert "陳○同" not in page(as_a, "backoffice:services", unit=unit_a.pk, q="大同")  # no name oracle


def test_the_grid_of_active_members_is_unchanged(as_a, asked, unit_a):
    html = page(as_a, "backoffice:service_grid", unit=unit_a.pk)
    assert "測試熊" in html and "陳○同" not in html and "陳大同" not in html


def test_an_export_names_a_waiting_person_masked(as_a, asked, other_volunteer, supervisor_a, unit_a):
    records.add_service(actor=supervisor_a, unit=unit_a, volunteer=other_volunteer, service_item="綜合服務",
                        content="關懷訪視", start_date=dt.date(2026, 3, 2), hours=Decimal("3"))
    response = as_a.post(reverse("backoffice:excel_export"), {"unit": unit_a.pk, "kind": "service",
                                                               "format": "csv", "full_id": "on"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    [row] = rows[1:]
    assert row[:2] == ["F13579****", "陳○同"] and "待志工同意" in row
    assert "陳大同" not in str(rows) and "F135792464" not in str(rows)


def test_looking_up_an_unverified_sign_up_says_so(as_a):
    make_person("A123456789", "王小明", email="someone@example.net", signup_pending=True)
    response = as_a.post(reverse("backoffice:volunteer_add"), {"step": "lookup", "national_id": "A123456789"})
    html = response.content.decode()
    assert "尚未完成信箱驗證" in html and "從未登入" in html and "王○明" in html and "王小明" not in html


def test_looking_up_a_person_already_asked_says_so(as_a, asked, other_volunteer):
    html = as_a.post(reverse("backoffice:volunteer_add"),
                     {"step": "lookup", "national_id": other_volunteer.national_id}).content.decode()
    assert "正等待志工回覆" in html and "送出加入邀請" not in html


def test_the_detail_of_a_person_the_unit_created_explains_once_they_signed_in(as_a, supervisor_a, unit_a):
    person, _membership, _password = people.create_volunteer(
        actor=supervisor_a, unit=unit_a, national_id="A123456789", name="王小明", birth_date=dt.date(1950, 2, 2))
    assert "重設密碼" in page(as_a, "backoffice:volunteer", person.pk)
    type(person).objects.filter(pk=person.pk).update(last_login=timezone.now())
    html = page(as_a, "backoffice:volunteer", person.pk)
    assert "已自行登入過" in html
    assert reverse("backoffice:volunteer_password", args=[person.pk]) not in html
    assert as_a.post(reverse("backoffice:volunteer_password", args=[person.pk]),
                     {"action": "temporary"}).status_code == 403


def test_a_staff_member_who_volunteers_is_seen_but_not_managed(as_a, authority_clerk, unit_a):
    Membership.objects.create(volunteer=authority_clerk, unit=unit_a)
    html = page(as_a, "backoffice:volunteer", authority_clerk.pk)
    assert "林美玲" in html and "工作人員" in html
    assert reverse("backoffice:volunteer_edit", args=[authority_clerk.pk]) not in html


def test_the_audit_log_names_a_person_who_declined_masked(as_a, asked, other_volunteer):
    people.answer_request(person=other_volunteer, membership_id=asked.pk, accept=False)
    html = page(as_a, "backoffice:audit")
    assert "志工不同意加入單位" in html and "陳○同" in html and "陳大同" not in html
    assert "陳○同" not in page(as_a, "backoffice:audit", volunteer="大同")
    assert "陳○同" in page(as_a, "backoffice:audit", volunteer="F135792464")


def test_the_desks_that_look_people_up_do_not_find_a_waiting_person(as_a, asked, other_volunteer, unit_a):
    books = page(as_a, "backoffice:books_apply", q=other_volunteer.national_id)
    eligibility = page(as_a, "eligibility:query", unit=unit_a.pk, q=other_volunteer.national_id)
    for html in (books, eligibility):
        assert "陳大同" not in html and "0933-444-555" not in html and "datong" not in html
    assert as_a.get(reverse("backoffice:books_apply_for", args=[other_volunteer.pk])).status_code == 404
