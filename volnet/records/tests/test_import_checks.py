"""validate(): the checks that need the database: who the ID is, membership, duplicates and overlaps."""

import datetime as dt

import pytest

from conftest import make_person
from volnet.records import imports
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.tests.excel_files import TRAINING_HEADER, service_row, training_row, valid_id, xlsx
from volnet.units.models import Membership

TODAY = dt.date(2025, 6, 30)


def check(rows, unit, header=None):
    sheet = imports.read_file(xlsx(rows, header), today=TODAY)
    return imports.validate(sheet, unit)


def messages(result):
    return [" ".join(row.errors) for row in result.rows]


def test_a_clean_file_of_members_passes(volunteer, unit_a):
    result = check([service_row(), service_row(start="114/03/02", end="114/03/02")], unit_a)
    assert result.ok and result.error_count == 0
    assert {row.data["volunteer_id"] for row in result.rows} == {volunteer.pk}


def test_an_unknown_id_is_an_error(unit_a, volunteer):
    result = check([service_row(national_id=valid_id("A", "19876543"))], unit_a)
    assert not result.ok
    assert "查無此志工" in messages(result)[0]


def test_a_member_of_another_unit_is_not_a_member_here(unit_a, other_volunteer):
    result = check([service_row(national_id=other_volunteer.national_id, name=other_volunteer.name)], unit_a)
    assert "不是本單位服務中的志工" in messages(result)[0]


def test_a_volunteer_who_left_the_unit_is_refused_and_told_so(unit_a, volunteer):
    Membership.objects.filter(volunteer=volunteer).update(status=Membership.Status.ENDED, left_on=dt.date(2025, 1, 1))
    result = check([service_row()], unit_a)
    assert "已離隊" in messages(result)[0]


def test_someone_asked_who_has_not_accepted_is_entered_one_by_one_not_imported(unit_a, other_volunteer):
    """README, account ownership: until the person accepts, the unit enters what it witnessed one entry at
    a time (it waits for their answer); the import serves members who serve now."""
    Membership.objects.create(volunteer=other_volunteer, unit=unit_a, status=Membership.Status.PENDING)
    result = check([service_row(national_id=other_volunteer.national_id, name=other_volunteer.name)], unit_a)
    assert not result.ok and "尚未同意加入本單位" in messages(result)[0] and "逐筆登錄" in messages(result)[0]
    assert "陳大同" not in messages(result)[0]


def test_a_name_that_does_not_match_the_id_is_a_warning_not_an_error(unit_a, volunteer):
    result = check([service_row(name="王小明")], unit_a)
    row = result.rows[0]
    assert row.errors == [] and row.status == imports.WARNING
    assert "測試熊" in row.warnings[0]
    assert result.ok and result.warning_count == 1


def test_an_exact_duplicate_row_is_flagged_on_the_later_row(unit_a, volunteer):
    result = check([service_row(), service_row(hours=3, start="114/04/01", end=""), service_row()], unit_a)
    first, _other, third = messages(result)
    assert first == ""
    assert "與第 2 列完全相同" in third
    assert not result.ok


def test_overlapping_dates_with_the_same_content_are_flagged(unit_a, volunteer):
    result = check([
        service_row(start="114/03/01", end="114/03/05", hours=10),
        service_row(start="114/03/04", end="114/03/04", hours=2),
    ], unit_a)
    assert "與第 2 列的日期重疊" in messages(result)[1]


def test_different_content_on_the_same_day_is_fine(unit_a, volunteer):
    result = check([service_row(content="電話問安"), service_row(content="居家關懷")], unit_a)
    assert result.ok


def test_two_volunteers_on_the_same_day_are_fine(unit_a, volunteer):
    second = make_person(valid_id("K", "22233344"), "林阿姨")
    Membership.objects.create(volunteer=second, unit=unit_a)
    result = check([service_row(), service_row(national_id=second.national_id, name="林阿姨")], unit_a)
    assert result.ok


def test_a_row_overlapping_an_existing_record_of_the_unit_is_flagged(unit_a, volunteer, service_record):
    service_record(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 3))
    result = check([service_row(start="114/03/02", end="114/03/02")], unit_a)
    assert "與已登錄的紀錄（114/03/01~114/03/03）日期重疊" in messages(result)[0]


def test_an_existing_record_that_starts_inside_a_row_is_flagged_too(unit_a, volunteer, service_record):
    service_record(start=dt.date(2025, 3, 4))
    result = check([service_row(start="114/03/01", end="114/03/10", hours=20)], unit_a)
    assert "已登錄的紀錄（114/03/04~114/03/04）" in messages(result)[0]


def test_declined_entries_and_other_units_entries_do_not_count_as_overlaps(unit_a, unit_b, volunteer, service_record):
    service_record(status=ServiceRecord.Status.DECLINED)
    service_record(unit=unit_b)
    assert check([service_row()], unit_a).ok


def test_the_checks_use_a_fixed_number_of_queries_whatever_the_row_count(unit_a, volunteer,
                                                                         django_assert_max_num_queries):
    people = [make_person(valid_id("P", f"1{n:07d}"), f"志工{n}") for n in range(30)]
    Membership.objects.bulk_create([Membership(volunteer=p, unit=unit_a) for p in people])
    rows = [service_row(national_id=p.national_id, name=p.name, start=f"114/03/{day:02d}", end="")
            for p in people for day in range(1, 11)]
    sheet = imports.read_file(xlsx(rows), today=TODAY)
    with django_assert_max_num_queries(3):
        result = imports.validate(sheet, unit_a)
    assert result.ok and len(result.rows) == 300


# Training


def test_a_training_already_entered_for_the_same_course_is_flagged(unit_a, volunteer, supervisor_a):
    TrainingRecord.objects.create(
        volunteer=volunteer, unit=unit_a, registrant=supervisor_a, kind="special", category="social_welfare",
        course="社福特殊訓練", organiser="某單位", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 2),
        minutes=720,
    )
    result = check([training_row(), training_row(course="另一門課")], unit_a, TRAINING_HEADER)
    first, second = messages(result)
    assert "已登錄的紀錄" in first and second == ""


def test_a_training_duplicated_in_the_file_is_flagged(unit_a, volunteer):
    result = check([training_row(), training_row()], unit_a, TRAINING_HEADER)
    assert "與第 2 列完全相同" in messages(result)[1]


@pytest.mark.parametrize("kind", [imports.SERVICE, imports.TRAINING])
def test_rows_with_errors_are_still_shown_with_all_their_cells(unit_a, volunteer, kind):
    row = service_row(national_id="E122333442") if kind == imports.SERVICE else training_row(national_id="X")
    result = check([row], unit_a, None if kind == imports.SERVICE else TRAINING_HEADER)
    assert result.rows[0].cells[1] == "測試熊"
    assert all(row.errors for row in result.rows)
