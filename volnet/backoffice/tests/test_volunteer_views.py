"""志工管理 pages: list and search with masked IDs, add by ID, detail (audited), edit, passwords, leaving."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.accounts.models import User
from volnet.audit.models import AuditEntry
from volnet.units.models import Membership

NEW_ID = "A123456789"


@pytest.fixture
def as_a(staff_client, supervisor_a, volunteer):
    return staff_client(supervisor_a)


def test_the_list_masks_id_numbers_and_flags_a_missing_email(as_a, unit_a):
    person = make_person(NEW_ID, "王小明", email="")
    Membership.objects.create(volunteer=person, unit=unit_a)
    html = as_a.get(reverse("backoffice:volunteers")).content.decode()
    assert "E12233****" in html and "E122333441" not in html
    assert "A12345****" in html
    assert "未設定" in html


def test_the_list_finds_by_id_number_or_by_name(as_a, unit_a):
    Membership.objects.create(volunteer=make_person(NEW_ID, "王小明"), unit=unit_a)
    by_id = as_a.get(reverse("backoffice:volunteers"), {"q": "e122333441"}).content.decode()
    assert "測試熊" in by_id and "王小明" not in by_id
    by_name = as_a.get(reverse("backoffice:volunteers"), {"q": "小明"}).content.decode()
    assert "王小明" in by_name and "測試熊" not in by_name


def test_the_list_shows_who_has_left_on_request(as_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status="ended", left_on=dt.date(2025, 1, 31))
    assert "測試熊" not in as_a.get(reverse("backoffice:volunteers")).content.decode()
    html = as_a.get(reverse("backoffice:volunteers"), {"status": "ended"}).content.decode()
    assert "測試熊" in html and "114/01/31" in html


def test_the_detail_shows_the_full_id_and_logs_the_look(as_a, volunteer, supervisor_a, unit_a):
    html = as_a.get(reverse("backoffice:volunteer", args=[volunteer.pk])).content.decode()
    assert "E122333441" in html
    entry = AuditEntry.objects.get(action="backoffice.volunteer.viewed")
    assert (entry.actor, entry.volunteer, entry.unit) == (supervisor_a, volunteer, unit_a)


def test_adding_a_new_person_shows_the_temporary_password_once(as_a, unit_a):
    response = as_a.post(reverse("backoffice:volunteer_add"), {"step": "lookup", "national_id": "a123456789"})
    assert "還沒有帳號" in response.content.decode()
    response = as_a.post(reverse("backoffice:volunteer_add"), {
        "step": "create", "national_id": NEW_ID, "name": "王小明", "birth_date": "039/02/02", "sex": "M",
        "email": "", "phone": "", "joined_on": "", "volunteer_number": "", "delivery": "show",
    }, follow=True)
    person = User.objects.get(national_id=NEW_ID)
    html = response.content.decode()
    assert "只會顯示這一次" in html
    password = response.context["password"]
    assert password and password in html and person.check_password(password)
    assert person.must_change_password and person.birth_date == dt.date(1950, 2, 2)
    again = as_a.get(reverse("backoffice:volunteer_temporary_password", args=[person.pk])).content.decode()
    assert password not in again and "已經顯示過了" in again


def test_adding_can_mail_a_link_instead_of_showing_a_password(as_a, mailbox):
    response = as_a.post(reverse("backoffice:volunteer_add"), {
        "step": "create", "national_id": NEW_ID, "name": "王小明", "birth_date": "039/02/02",
        "email": "ming@example.tw", "delivery": "mail",
    }, follow=True)
    assert "設定密碼的連結已寄到 m***@example.tw" in response.content.decode()
    assert mailbox.wait_for(1, to="ming@example.tw")


def test_mailing_a_link_needs_an_email(as_a):
    response = as_a.post(reverse("backoffice:volunteer_add"), {
        "step": "create", "national_id": NEW_ID, "name": "王小明", "birth_date": "039/02/02", "delivery": "mail",
    })
    assert "請填寫電子信箱" in response.content.decode()
    assert not User.objects.filter(national_id=NEW_ID).exists()


def test_bad_input_keeps_what_was_typed_with_chinese_errors(as_a):
    response = as_a.post(reverse("backoffice:volunteer_add"), {
        "step": "create", "national_id": NEW_ID, "name": "王小明", "birth_date": "139/13/40",
        "email": "not-an-email", "phone": "0912", "delivery": "show",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "不存在" in html or "不是有效的民國日期" in html
    assert "有效的電子郵件" in html
    assert "電話請填寫數字" in html  # 4 digits are not a phone number
    assert 'value="王小明"' in html and 'value="0912"' in html and 'value="not-an-email"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(national_id=NEW_ID).exists()


def test_a_bad_id_is_refused_at_the_first_step(as_a):
    html = as_a.post(reverse("backoffice:volunteer_add"), {"step": "lookup", "national_id": "A12345"}).content.decode()
    assert "應為 10 碼" in html and 'value="A12345"' in html


def test_an_existing_person_is_asked_to_join_not_given_a_new_account(as_a, other_volunteer, unit_a):
    html = as_a.post(reverse("backoffice:volunteer_add"),
                     {"step": "lookup", "national_id": other_volunteer.national_id}).content.decode()
    assert "已有帳號" in html and "陳○同" in html and "陳大同" not in html
    response = as_a.post(reverse("backoffice:volunteer_add"),
                         {"step": "enrol", "national_id": other_volunteer.national_id, "joined_on": "115/01/02"},
                         follow=True)
    membership = Membership.objects.get(volunteer=other_volunteer, unit=unit_a)
    assert (membership.status, membership.joined_on) == (Membership.Status.PENDING, dt.date(2026, 1, 2))
    assert User.objects.filter(national_id=other_volunteer.national_id).count() == 1
    html = response.content.decode()
    assert "已向 陳○同 送出加入" in html and "陳大同" not in html  # the list of requests, masked
    assert "F13579****" in html


def test_a_current_member_is_recognised(as_a, volunteer):
    html = as_a.post(reverse("backoffice:volunteer_add"),
                     {"step": "lookup", "national_id": volunteer.national_id}).content.decode()
    assert "已經是" in html


def test_editing_contact_data_is_audited(as_a, volunteer):
    url = reverse("backoffice:volunteer_edit", args=[volunteer.pk])
    form = as_a.get(url).content.decode()
    assert 'value="070/05/20"' in form
    as_a.post(url, {"name": "測試熊", "birth_date": "070/05/20", "sex": "M", "email": "bear2@example.tw"})
    volunteer.refresh_from_db()
    assert volunteer.email == "bear2@example.tw"
    entry = AuditEntry.objects.get(action="backoffice.volunteer.updated")
    assert entry.changes["電子信箱"] == ["bear@example.tw", "bear2@example.tw"]


def test_an_empty_name_is_refused_and_nothing_changes(as_a, volunteer):
    response = as_a.post(reverse("backoffice:volunteer_edit", args=[volunteer.pk]),
                         {"name": "", "birth_date": "070/05/20", "phone": "0911"})
    assert "這個欄位是必須的" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.name == "測試熊" and volunteer.phone == ""


def test_staff_cannot_save_letters_as_an_emergency_phone(as_a, volunteer):
    response = as_a.post(reverse("backoffice:volunteer_edit", args=[volunteer.pk]),
                         {"name": "測試熊", "birth_date": "070/05/20", "emergency_phone": "問鄰居"})
    assert "緊急聯絡電話請填寫數字" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.emergency_phone == ""


def test_a_temporary_password_from_the_password_page(as_a, volunteer):
    response = as_a.post(reverse("backoffice:volunteer_password", args=[volunteer.pk]), {"action": "temporary"},
                         follow=True)
    volunteer.refresh_from_db()
    assert volunteer.check_password(response.context["password"])
    assert volunteer.must_change_password


def test_a_reset_link_from_the_password_page(as_a, volunteer, mailbox):
    response = as_a.post(reverse("backoffice:volunteer_password", args=[volunteer.pk]), {"action": "link"},
                         follow=True)
    assert "已寄送重設密碼連結到 b***@example.tw" in response.content.decode()
    assert mailbox.wait_for(1, to="bear@example.tw")


def test_ending_a_membership_from_its_page(as_a, volunteer):
    membership = volunteer.memberships.get()
    response = as_a.post(reverse("backoffice:membership_end", args=[membership.pk]), {"left_on": "114/12/31"},
                         follow=True)
    assert "單位登錄過的紀錄都會保留" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2025, 12, 31)


def test_a_former_unit_may_look_but_not_change_the_account(as_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status="ended", left_on=dt.date(2025, 1, 1))
    assert as_a.get(reverse("backoffice:volunteer", args=[volunteer.pk])).status_code == 200
    assert as_a.get(reverse("backoffice:volunteer_edit", args=[volunteer.pk])).status_code == 403
    assert as_a.post(reverse("backoffice:volunteer_password", args=[volunteer.pk]),
                     {"action": "temporary"}).status_code == 403
