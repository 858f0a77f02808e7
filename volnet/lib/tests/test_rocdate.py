import datetime as dt

import pytest

from volnet.lib import rocdate


@pytest.mark.parametrize(
    "text, expected",
    [
        ("114/02/02", dt.date(2025, 2, 2)),
        ("1140202", dt.date(2025, 2, 2)),
        ("0990501", dt.date(2010, 5, 1)),
        ("099/05/01", dt.date(2010, 5, 1)),
        ("99/05/01", dt.date(2010, 5, 1)),
        ("99/5/1", dt.date(2010, 5, 1)),
        ("114年2月2日", dt.date(2025, 2, 2)),
        ("民國114年2月2日", dt.date(2025, 2, 2)),
        (" 114/02/02 ", dt.date(2025, 2, 2)),
        ("１１４／０２／０２", dt.date(2025, 2, 2)),
        ("114-02-02", dt.date(2025, 2, 2)),
        ("113/02/29", dt.date(2024, 2, 29)),
        ("1/01/01", dt.date(1912, 1, 1)),
    ],
)
def test_it_parses_the_forms_volunteers_type(text, expected):
    assert rocdate.parse(text) == expected


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("114/02/29", "不存在"),
        ("114/13/01", "不存在"),
        ("114/00/10", "不存在"),
        ("0/01/01", "大於 0"),
        ("", "請輸入日期"),
        (None, "請輸入日期"),
        ("2025-02-02", "不是有效的民國日期"),
        ("abc", "不是有效的民國日期"),
        ("114/02", "不是有效的民國日期"),
        ("11402020", "不是有效的民國日期"),
        ("x" * 500, "…"),
    ],
)
def test_it_rejects_impossible_or_malformed_dates_with_a_message(text, fragment):
    with pytest.raises(rocdate.RocDateError) as error:
        rocdate.parse(text)
    assert fragment in str(error.value)


def test_a_long_input_is_shortened_in_the_message():
    with pytest.raises(rocdate.RocDateError) as error:
        rocdate.parse("9" * 300)
    assert len(str(error.value)) < 60


def test_it_formats_with_three_digit_years():
    assert rocdate.format(dt.date(2025, 2, 2)) == "114/02/02"
    assert rocdate.format(dt.date(2010, 5, 1)) == "099/05/01"
    assert rocdate.format(None) == ""
    assert rocdate.format(None, empty="—") == "—"


def test_dates_before_the_roc_calendar_stay_western():
    assert rocdate.format(dt.date(1900, 1, 1)) == "1900-01-01"


def test_ranges_format_like_the_manual():
    assert rocdate.format_range(dt.date(2026, 3, 1), dt.date(2026, 3, 30)) == "115/03/01~115/03/30"
    assert rocdate.format_range(dt.date(2021, 5, 5), None) == "110/05/05~"
    assert rocdate.format_range(None, None) == ""


def test_a_range_ending_before_it_starts_is_refused():
    rocdate.check_order(dt.date(2026, 3, 1), dt.date(2026, 3, 30))
    rocdate.check_order(dt.date(2026, 3, 1), None)
    with pytest.raises(rocdate.RocDateError, match="早於開始日期"):
        rocdate.check_order(dt.date(2026, 3, 30), dt.date(2026, 3, 1))


def test_round_trip_for_every_day_of_a_leap_year():
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        assert rocdate.parse(rocdate.format(day)) == day
        day += dt.timedelta(days=1)
