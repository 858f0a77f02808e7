"""Cleaning one row, rule by rule (no database): IDs, ROC dates, hours, lengths, injection."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.records import imports
from volnet.records.tests.excel_files import TRAINING_HEADER, AsText, service_row, training_row, xlsx

TODAY = dt.date(2025, 6, 30)


def one_row(row, header=None):
    sheet = imports.read_file(xlsx([row], header), today=TODAY)
    assert len(sheet.rows) == 1
    return sheet.rows[0]


def errors_of(row, header=None):
    return " ".join(one_row(row, header).errors)


def test_a_correct_row_has_no_errors_and_clean_values():
    row = one_row(service_row(start="114/03/01", end="114/03/02", hours="3.5"))
    assert row.errors == [] and row.status == imports.OK
    assert row.data == {
        "national_id": "E122333441", "name": "測試熊", "service_item": "綜合服務", "content": "電話問安",
        "start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 2), "hours": Decimal("3.5"),
    }


def test_the_preview_cells_show_the_text_as_typed():
    row = one_row(service_row(hours=3.5, start=dt.date(2025, 3, 1), end=1140301))
    assert row.cells == ("E122333441", "測試熊", "綜合服務", "電話問安", "114/03/01", "1140301", "3.5")


@pytest.mark.parametrize(
    "national_id, fragment",
    [
        ("E122333442", "檢查碼不正確"),
        ("E12233344", "應為 10 碼"),
        ("", "請輸入身分證號碼"),
        ("1122333441", "第 1 碼應為英文字母"),
        ("E322333441", "第 2 碼"),
    ],
)
def test_a_bad_id_number_says_what_is_wrong(national_id, fragment):
    message = errors_of(service_row(national_id=national_id))
    assert "身分證號碼：" in message and fragment in message


def test_a_lower_case_id_with_spaces_is_accepted():
    assert one_row(service_row(national_id=" e122333441 ")).data["national_id"] == "E122333441"


@pytest.mark.parametrize(
    "start, fragment",
    [
        ("114/02/30", "不存在"),
        ("114/13/01", "不存在"),
        ("2025/03/01", "西元年"),
        ("20250301", "西元年"),
        ("明天", "不是有效的民國日期"),
        ("", "必填"),
    ],
)
def test_an_invalid_roc_date_is_an_error(start, fragment):
    message = errors_of(service_row(start=start, end=""))
    assert "服務起日(民國)：" in message and fragment in message


@pytest.mark.parametrize(
    "value",
    ["114/03/01", "1140301", 1140301, "114年3月1日", "114-3-1", dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 9, 30)],
    ids=["slashed", "compact-text", "compact-number", "worded", "dashed", "excel-date", "excel-datetime"],
)
def test_roc_text_and_real_excel_date_cells_are_both_accepted(value):
    assert one_row(service_row(start=value, end="")).data["start"] == dt.date(2025, 3, 1)


def test_an_end_before_the_start_is_an_error():
    assert "早於起日" in errors_of(service_row(start="114/03/05", end="114/03/01"))


def test_an_empty_end_means_a_single_day():
    row = one_row(service_row(start="114/03/05", end=""))
    assert row.data["end"] == dt.date(2025, 3, 5)


def test_service_in_the_future_is_an_error():
    assert "晚於今天" in errors_of(service_row(start="114/07/01", end="114/07/01"))


@pytest.mark.parametrize(
    "hours, fragment",
    [
        (0, "大於 0"),
        (-2, "大於 0"),
        ("3.75", "最多一位小數"),
        (3.75, "最多一位小數"),
        ("三小時", "不是數字"),
        ("", "必填"),
        (24.5, "超過每日 24 小時"),
    ],
)
def test_hours_must_be_positive_with_one_decimal_and_at_most_24_a_day(hours, fragment):
    message = errors_of(service_row(hours=hours))
    assert fragment in message


def test_a_range_of_days_allows_24_hours_for_each_day():
    assert one_row(service_row(start="114/03/01", end="114/03/03", hours=72)).errors == []
    assert "3 天最多 72 小時" in errors_of(service_row(start="114/03/01", end="114/03/03", hours=72.5))


def test_full_width_digits_in_hours_are_read():
    assert one_row(service_row(hours="３.５")).data["hours"] == Decimal("3.5")


def test_missing_item_and_content_are_errors():
    message = errors_of(service_row(item="", content=""))
    assert "服務項目：必填" in message and "服務內容：必填" in message


def test_text_longer_than_the_column_is_an_error():
    assert "最多 200 字" in errors_of(service_row(content="問" * 201))


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example","x")', "=1+1", "=cmd|' /C calc'!A0"])
def test_text_starting_with_an_equals_sign_is_refused_as_formula_injection(cell):
    row = one_row(service_row(content=AsText(cell)))
    assert row.status == imports.ERROR
    assert "公式" in row.errors[0]


def test_each_error_names_its_column():
    row = one_row(service_row(national_id="X", start="abc", hours=0))
    assert len(row.errors) == 3
    assert all("：" in message for message in row.errors)


# Training rows


def test_a_correct_training_row():
    row = one_row(training_row(), TRAINING_HEADER)
    assert row.errors == []
    assert row.data["kind"] == "special" and row.data["category"] == "social_welfare"
    assert row.data["minutes"] == 720 and row.data["sessions"] == 2
    assert row.data["certificate"] == "中市志推字第1140001號"


@pytest.mark.parametrize("kind, value", [("基礎", "basic"), ("基礎訓練", "basic"), ("特殊", "special"),
                                          ("在職訓練", "in_service"), ("其他訓練", "other")])
def test_training_kinds_are_read_from_their_chinese_names(kind, value):
    row = one_row(training_row(kind=kind, category="社會福利類" if value == "special" else ""), TRAINING_HEADER)
    assert row.data["kind"] == value


def test_an_unknown_training_kind_is_an_error():
    assert "不是基礎訓練" in errors_of(training_row(kind="進階"), TRAINING_HEADER)


def test_special_training_needs_its_category():
    assert "特殊訓練必須填寫類別" in errors_of(training_row(category=""), TRAINING_HEADER)


def test_an_unknown_category_is_an_error():
    assert "不是可選的類別" in errors_of(training_row(category="星際類"), TRAINING_HEADER)


def test_a_category_on_basic_training_is_dropped_with_a_warning():
    row = one_row(training_row(kind="基礎訓練", category="社會福利類"), TRAINING_HEADER)
    assert row.errors == [] and row.data["category"] == ""
    assert "不會儲存" in row.warnings[0]


@pytest.mark.parametrize("hours, minutes", [(6, 360), ("1.5", 90), ("1:20", 80), ("1小時20分鐘", 80), ("45分鐘", 45)])
def test_training_time_in_hours_or_hours_and_minutes(hours, minutes):
    assert one_row(training_row(hours=hours), TRAINING_HEADER).data["minutes"] == minutes


@pytest.mark.parametrize("hours, fragment", [(0, "大於 0"), ("1:75", "小於 60"), ("2.25", "最多一位小數"),
                                             (49, "超過每日 24 小時")])
def test_bad_training_time_is_an_error(hours, fragment):
    assert fragment in errors_of(training_row(hours=hours), TRAINING_HEADER)


def test_sessions_default_to_one_and_must_be_whole():
    assert one_row(training_row(sessions=""), TRAINING_HEADER).data["sessions"] == 1
    assert "整數" in errors_of(training_row(sessions="1.5"), TRAINING_HEADER)


def test_a_training_without_an_end_date_is_accepted():
    row = one_row(training_row(end=""), TRAINING_HEADER)
    assert row.errors == [] and row.data["end"] is None
