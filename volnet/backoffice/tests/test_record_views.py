"""The record pages (hours, training, insurance, other items, awards): add, correct, delete, history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.records.models import Award, InsurancePolicy, OtherItem, ServiceRecord, TrainingRecord
from volnet.units.models import Membership


@pytest.fixture
def as_a(staff_client, supervisor_a, volunteer):
    return staff_client(supervisor_a)


def service_form(person, **overrides):
    data = {"volunteer": person.pk, "service_item": "綜合服務", "content": "電話問安", "start_date": "114/03/01",
            "end_date": "114/03/31", "hours": "12.5"}
    data.update(overrides)
    return data


def test_adding_hours_sets_the_registrant_and_parses_roc_dates(as_a, volunteer, supervisor_a, unit_a):
    response = as_a.post(reverse("backoffice:service_add"), service_form(volunteer), follow=True)
    assert "已新增一筆服務時數" in response.content.decode()
    record = ServiceRecord.objects.get()
    assert (record.registrant, record.unit) == (supervisor_a, unit_a)
    assert (record.start_date, record.end_date, record.hours) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31),
                                                                  Decimal("12.5"))


def test_a_free_text_service_item_is_accepted(as_a, volunteer):
    as_a.post(reverse("backoffice:service_add"), service_form(volunteer, service_item="長照據點共餐"))
    assert ServiceRecord.objects.get().service_item == "長照據點共餐"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hours", "0", "時數必須大於 0"),
    ("hours", "2.25", "最多一位小數"),
    ("hours", "abc", "不是數字"),
    ("start_date", "114/02/30", "不存在"),
    ("end_date", "114/02/01", "早於起日"),
])
def test_bad_input_keeps_the_form_filled_with_chinese_errors(as_a, volunteer, field, value, message):
    response = as_a.post(reverse("backoffice:service_add"), service_form(volunteer, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="電話問安"' in html and f'value="{value}"' in html
    assert not ServiceRecord.objects.exists()


def test_more_than_24_hours_a_day_is_refused(as_a, volunteer):
    html = as_a.post(reverse("backoffice:service_add"),
                     service_form(volunteer, end_date="", hours="25")).content.decode()
    assert "超過一天最多的 24 小時" in html


def test_only_active_members_are_offered(as_a, volunteer, unit_a):
    gone = make_person("A123456789", "離隊者")
    Membership.objects.create(volunteer=gone, unit=unit_a, status="ended", joined_on=dt.date(2024, 1, 1),
                              left_on=dt.date(2025, 1, 1))
    html = as_a.get(reverse("backoffice:service_add")).content.decode()
    assert "測試熊（E12233****）" in html and "離隊者" not in html


def test_a_correction_is_kept_in_the_history_page(as_a, service_record, supervisor_a):
    record = service_record(hours="3")
    as_a.post(reverse("backoffice:service_edit", args=[record.pk]),
              service_form(record.volunteer, start_date="114/03/01", end_date="114/03/01", hours="4"))
    record.refresh_from_db()
    assert record.hours == Decimal("4")
    html = as_a.get(reverse("backoffice:service_history", args=[record.pk])).content.decode()
    assert "更正服務時數" in html and "何小倫" in html
    assert '<span class="before">3</span>' in html


def test_a_deleted_record_keeps_its_history(as_a, service_record):
    record = service_record()
    as_a.post(reverse("backoffice:service_delete", args=[record.pk]), {"reason": "重複登錄"})
    assert not ServiceRecord.objects.exists()
    html = as_a.get(reverse("backoffice:service_history", args=[record.pk])).content.decode()
    assert "這筆紀錄已被刪除" in html and "重複登錄" in html


def test_the_list_shows_the_units_records_with_a_total(as_a, service_record, unit_b, volunteer):
    service_record(hours="3", content="甲")
    service_record(hours="4.5", content="乙", start=dt.date(2025, 3, 2))
    Membership.objects.create(volunteer=volunteer, unit=unit_b)
    service_record(hours="9", content="別的單位登錄", unit=unit_b)
    html = as_a.get(reverse("backoffice:services")).content.decode()
    assert "甲" in html and "乙" in html and "別的單位登錄" not in html
    assert "7.5" in html
    assert "114/03/02~114/03/02" in html


def test_the_list_filters_by_roc_dates_and_says_what_is_wrong(as_a, service_record):
    service_record(content="三月", start=dt.date(2025, 3, 1))
    service_record(content="五月", start=dt.date(2025, 5, 1))
    html = as_a.get(reverse("backoffice:services"), {"from": "114/04/01"}).content.decode()
    assert "五月" in html and "三月" not in html
    html = as_a.get(reverse("backoffice:services"), {"from": "114/99/01"}).content.decode()
    assert "請確認日期" in html or "不是有效" in html


def test_training_takes_hours_and_minutes(as_a, volunteer):
    as_a.post(reverse("backoffice:training_add"), {
        "volunteer": volunteer.pk, "kind": "special", "category": "social_welfare", "course": "社會福利概述",
        "organiser": "社會局", "start_date": "110/10/02", "end_date": "110/10/03", "sessions": "1",
        "duration_hours": "12", "duration_minutes": "30", "certificate_number": "中社字第1號",
    })
    record = TrainingRecord.objects.get()
    assert record.minutes == 750 and record.certificate_number == "中社字第1號"
    html = as_a.get(reverse("backoffice:trainings")).content.decode()
    assert "12小時30分鐘" in html


def test_special_training_without_category_is_explained(as_a, volunteer):
    html = as_a.post(reverse("backoffice:training_add"), {
        "volunteer": volunteer.pk, "kind": "special", "course": "x", "organiser": "y", "start_date": "110/10/02",
        "sessions": "1", "duration_hours": "2",
    }).content.decode()
    assert "特殊訓練須選擇服務類別" in html
    assert not TrainingRecord.objects.exists()


def test_zero_training_time_is_refused_on_the_hours_box(as_a, volunteer):
    response = as_a.post(reverse("backoffice:training_add"), {
        "volunteer": volunteer.pk, "kind": "basic", "course": "x", "organiser": "y", "start_date": "110/10/02",
        "sessions": "1", "duration_hours": "0", "duration_minutes": "0",
    })
    assert response.context["form"].errors["duration_hours"] == ["訓練時數必須大於 0。"]


def test_one_policy_for_many_volunteers_with_checkboxes(as_a, volunteer, unit_a):
    second = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=second, unit=unit_a)
    as_a.post(reverse("backoffice:insurance_add"), {
        "insurer": "富邦產物", "policy_number": "P-1", "start_date": "115/01/01", "end_date": "115/12/31",
        "accident_sum": "1,000,000", "medical_sum": "30000", "volunteers": [volunteer.pk, second.pk],
    })
    policy = InsurancePolicy.objects.get()
    assert policy.accident_sum == 1_000_000
    assert set(policy.volunteers.all()) == {volunteer, second}
    html = as_a.get(reverse("backoffice:insurance_edit", args=[policy.pk])).content.decode()
    assert html.count("checked") == 2
    assert 'value="1,000,000"' in html


def test_a_policy_with_nobody_checked_keeps_the_typed_values(as_a, volunteer):
    html = as_a.post(reverse("backoffice:insurance_add"), {
        "insurer": "富邦產物", "policy_number": "P-1", "start_date": "115/01/01", "end_date": "115/12/31",
    }).content.decode()
    assert "這個欄位是必須的" in html or "請至少勾選一位" in html
    assert 'value="富邦產物"' in html
    assert not InsurancePolicy.objects.exists()


def test_other_items_and_awards_are_entered_and_listed(as_a, volunteer):
    as_a.post(reverse("backoffice:other_item_add"),
              {"volunteer": volunteer.pk, "title": "小隊長", "content": "第一小隊", "start_date": "114/01/01"})
    as_a.post(reverse("backoffice:award_add"), {
        "volunteer": volunteer.pk, "kind": "other", "name": "志願服務獎章", "level": "三等", "awarded_on": "113/12/05",
        "granted_by": "中華民國志願服務協會",
    })
    assert OtherItem.objects.get().title == "小隊長"
    assert Award.objects.get().awarded_on == dt.date(2024, 12, 5)
    assert "小隊長" in as_a.get(reverse("backoffice:other_items")).content.decode()
    assert "志願服務獎章" in as_a.get(reverse("backoffice:awards")).content.decode()
    assert AuditEntry.objects.filter(action__in=["records.other_item.created", "records.award.created"]).count() == 2


def test_save_and_add_another_returns_to_an_empty_form(as_a, volunteer):
    response = as_a.post(reverse("backoffice:service_add"), {**service_form(volunteer), "add_another": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:service_add"))


def test_a_record_of_another_unit_is_not_found(staff_client, supervisor_b, service_record):
    record = service_record()
    as_b = staff_client(supervisor_b)
    for name in ("service_edit", "service_delete", "service_history"):
        assert as_b.get(reverse(f"backoffice:{name}", args=[record.pk])).status_code == 404
    assert as_b.post(reverse("backoffice:service_delete", args=[record.pk])).status_code == 404
    assert ServiceRecord.objects.filter(pk=record.pk).exists()


def test_delete_and_history_name_the_entry_in_roc_dates(as_a, service_record):
    record = service_record(hours="3.5", start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    summary = "綜合服務／電話問安／114/03/01~114/03/31／3.5 小時"
    assert summary in as_a.get(reverse("backoffice:service_delete", args=[record.pk])).content.decode()
    assert summary in as_a.get(reverse("backoffice:service_history", args=[record.pk])).content.decode()
