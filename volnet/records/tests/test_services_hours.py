"""Service-hour entry and correction: the rules, the unit's boundaries, and the history they leave."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import make_person
from volnet.audit.models import AuditEntry
from volnet.records import services
from volnet.records.models import ServiceRecord
from volnet.records.services import RecordError
from volnet.units.models import Membership

DAY = dt.date(2025, 3, 1)


def add(actor, unit, person, **overrides):
    values = dict(service_item="綜合服務", content="電話問安", start_date=DAY, end_date=DAY, hours=Decimal("3.5"))
    values.update(overrides)
    return services.add_service(actor=actor, unit=unit, volunteer=person, **values)


def refusal(call):
    with pytest.raises(RecordError) as caught:
        call()
    return caught.value


# --- the rules ---------------------------------------------------------------------------------------


def test_hours_must_be_more_than_zero_with_one_decimal_and_at_most_24_a_day():
    assert services.hours_problems(Decimal("0"), DAY, DAY) == {"hours": "時數必須大於 0。"}
    assert services.hours_problems(Decimal("1.25"), DAY, DAY) == {"hours": "時數最多一位小數，例如 3.5。"}
    assert "超過一天最多的 24 小時" in services.hours_problems(Decimal("24.1"), DAY, DAY)["hours"]
    assert services.hours_problems(Decimal("24"), DAY, DAY) == {}


def test_values_no_column_can_hold_are_refused_not_crashed_on():
    assert services.hours_problems(Decimal("1e30"), DAY,
                                   DAY + dt.timedelta(days=99999)) == {"hours": "時數過大，請確認。"}
    assert services.hours_problems(Decimal("NaN"), DAY, DAY) == {"hours": "時數不是數字。"}


def test_a_range_of_days_allows_24_hours_for_each_day():
    end = DAY + dt.timedelta(days=29)
    assert services.hours_problems(Decimal("720"), DAY, end) == {}
    assert "這 30 天最多的 720 小時" in services.hours_problems(Decimal("720.5"), DAY, end)["hours"]


def test_dates_must_be_in_order_and_not_in_the_future():
    today = dt.date(2025, 3, 10)
    assert "早於起日" in services.date_problems(DAY, DAY - dt.timedelta(days=1), today)["end_date"]
    assert "不可晚於今天" in services.date_problems(DAY, dt.date(2025, 3, 11), today)["end_date"]
    assert services.date_problems(DAY, dt.date(2025, 3, 10), today) == {}


def test_a_volunteer_of_another_unit_cannot_get_hours_here(supervisor_a, unit_a, other_volunteer):
    error = refusal(lambda: add(supervisor_a, unit_a, other_volunteer))
    assert error.code == "invalid"
    assert error.field == "volunteer"
    assert "不是 2-299" in error.message
    assert not ServiceRecord.objects.exists()


def test_an_ended_member_gets_hours_only_up_to_the_day_they_left(supervisor_a, unit_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status="ended", left_on=dt.date(2025, 3, 15))
    assert add(supervisor_a, unit_a, volunteer, start_date=dt.date(2025, 3, 15), end_date=dt.date(2025, 3, 15))
    error = refusal(lambda: add(supervisor_a, unit_a, volunteer, start_date=dt.date(2025, 3, 16),
                                end_date=dt.date(2025, 3, 16)))
    assert "已於 114/03/15 離隊" in error.message


def test_one_day_may_not_exceed_24_hours_across_every_unit(supervisor_a, unit_a, volunteer, service_record, unit_b):
    Membership.objects.create(volunteer=volunteer, unit=unit_b)
    service_record(hours="20", start=DAY, unit=unit_b)
    error = refusal(lambda: add(supervisor_a, unit_a, volunteer, hours=Decimal("4.5")))
    assert error.field == "hours"
    assert "已登錄 20 小時" in error.message
    assert add(supervisor_a, unit_a, volunteer, hours=Decimal("4"))


def test_the_same_entry_twice_is_refused_as_a_duplicate(supervisor_a, unit_a, volunteer):
    add(supervisor_a, unit_a, volunteer)
    error = refusal(lambda: add(supervisor_a, unit_a, volunteer))
    assert error.code == "duplicate"
    assert ServiceRecord.objects.count() == 1


# --- adding --------------------------------------------------------------------------------------------


def test_the_signed_in_staff_member_is_the_registrant(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer, service_item=" 老人服務 ", end_date=None)
    assert record.registrant == supervisor_a
    assert record.unit == unit_a
    assert record.end_date == record.start_date
    assert record.service_item == "老人服務"
    assert record.status == ServiceRecord.Status.APPROVED


def test_adding_writes_an_audit_entry_with_what_was_entered(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    entry = AuditEntry.objects.get(action="records.service.created")
    assert (entry.actor, entry.volunteer, entry.unit) == (supervisor_a, volunteer, unit_a)
    assert entry.object_id == str(record.pk)
    assert entry.changes["服務時數"] == ["", "3.5"]
    assert entry.changes["服務起日"] == ["", "114/03/01"]


def test_staff_of_another_unit_cannot_enter_hours_for_it(supervisor_b, unit_a, volunteer):
    error = refusal(lambda: add(supervisor_b, unit_a, volunteer))
    assert error.code == "forbidden"
    assert not ServiceRecord.objects.exists()


# --- corrections keep history -------------------------------------------------------------------------


def test_a_correction_records_before_and_after(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    services.update_service(record, actor=supervisor_a, hours=Decimal("4"), content="關懷訪視")
    record.refresh_from_db()
    assert record.hours == Decimal("4.0")
    entry = AuditEntry.objects.get(action="records.service.updated")
    assert entry.changes == {"服務內容": ["電話問安", "關懷訪視"], "服務時數": ["3.5", "4"]}


def test_a_correction_that_changes_nothing_leaves_no_entry(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    services.update_service(record, actor=supervisor_a, hours=Decimal("3.5"))
    assert not AuditEntry.objects.filter(action="records.service.updated").exists()


def test_a_correction_does_not_count_the_entry_against_its_own_day(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer, hours=Decimal("20"))
    services.update_service(record, actor=supervisor_a, hours=Decimal("24"))
    assert ServiceRecord.objects.get().hours == Decimal("24")


def test_a_bad_correction_changes_nothing(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    error = refusal(lambda: services.update_service(record, actor=supervisor_a, hours=Decimal("25")))
    assert error.field == "hours"
    record.refresh_from_db()
    assert record.hours == Decimal("3.5")
    assert not AuditEntry.objects.filter(action="records.service.updated").exists()


def test_another_unit_can_neither_correct_nor_delete_the_entry(supervisor_a, supervisor_b, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    assert refusal(lambda: services.update_service(record, actor=supervisor_b, hours=Decimal("1"))).code == "forbidden"
    assert refusal(lambda: services.delete_service(record, actor=supervisor_b)).code == "forbidden"
    assert ServiceRecord.objects.get().hours == Decimal("3.5")


def test_deleting_keeps_the_deleted_values_and_the_reason(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    pk = record.pk
    services.delete_service(record, actor=supervisor_a, reason="重複登錄")
    assert not ServiceRecord.objects.exists()
    entry = AuditEntry.objects.get(action="records.service.deleted")
    assert entry.object_id == str(pk)
    assert entry.changes["服務內容"] == ["電話問安", ""]
    assert entry.changes["刪除原因"] == ["", "重複登錄"]


def test_a_deleted_entry_cannot_be_corrected_afterwards(supervisor_a, unit_a, volunteer):
    record = add(supervisor_a, unit_a, volunteer)
    stale = ServiceRecord.objects.get(pk=record.pk)
    services.delete_service(record, actor=supervisor_a)
    assert refusal(lambda: services.update_service(stale, actor=supervisor_a, hours=Decimal("1"))).code == "gone"


# --- the monthly grid ---------------------------------------------------------------------------------


def grid_row(key, person, hours="10", **extra):
    return {"key": key, "volunteer": person, "service_item": "綜合服務", "content": "電話問安",
            "start_date": dt.date(2025, 3, 1), "end_date": dt.date(2025, 3, 31), "hours": Decimal(hours), **extra}


def test_the_grid_saves_every_row_at_once(supervisor_a, unit_a, volunteer):
    second = make_person("A123456789", "王小明")
    Membership.objects.create(volunteer=second, unit=unit_a)
    created = services.add_services(actor=supervisor_a, unit=unit_a,
                                    rows=[grid_row(1, volunteer), grid_row(2, second, "12.5")])
    assert [r.hours for r in created] == [Decimal("10"), Decimal("12.5")]
    assert AuditEntry.objects.filter(action="records.service.created").count() == 2


def test_the_grid_saves_nothing_when_one_row_is_wrong_and_names_every_problem(supervisor_a, unit_a, volunteer,
                                                                               other_volunteer):
    rows = [grid_row("ok", volunteer), grid_row("bad", other_volunteer), grid_row("big", volunteer, "800",
                                                                                  content="別的")]
    error = refusal(lambda: services.add_services(actor=supervisor_a, unit=unit_a, rows=rows))
    assert set(error.errors) == {"bad", "big"}
    assert "volunteer" in error.errors["bad"]
    assert "hours" in error.errors["big"]
    assert "2 列" in error.message
    assert not ServiceRecord.objects.exists()
