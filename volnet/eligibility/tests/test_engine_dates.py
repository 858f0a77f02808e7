"""Pure date arithmetic of the engine: months of seniority, validity, the window's end."""

import datetime as dt

import pytest

from volnet.eligibility.engine import add_months, end_of_previous_month, format_months, full_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2023, 12, 13), 36, dt.date(2026, 12, 13)),  # 花蓮 example 1: 112/12/13 → 115/12/13
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),  # a leap day has no twin three years later
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 11, 30), 2, dt.date(2025, 1, 30)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_three_years_of_seniority_are_reached_on_the_day_before_the_anniversary():
    start = dt.date(2021, 10, 3)
    assert full_months(start, dt.date(2024, 10, 2)) == 36
    assert full_months(start, dt.date(2024, 10, 1)) == 35


def test_seniority_is_zero_without_a_start_or_before_it():
    assert full_months(None, dt.date(2024, 1, 1)) == 0
    assert full_months(dt.date(2024, 1, 2), dt.date(2024, 1, 1)) == 0
    assert full_months(dt.date(2024, 1, 1), dt.date(2024, 1, 1)) == 0


def test_the_window_ends_on_the_last_day_of_the_previous_month():
    assert end_of_previous_month(dt.date(2025, 3, 1)) == dt.date(2025, 2, 28)
    assert end_of_previous_month(dt.date(2024, 3, 31)) == dt.date(2024, 2, 29)
    assert end_of_previous_month(dt.date(2025, 1, 15)) == dt.date(2024, 12, 31)


@pytest.mark.parametrize(("months", "text"), [(27, "2年3個月"), (36, "3年"), (8, "8個月"), (0, "0個月")])
def test_months_read_as_years_and_months(months, text):
    assert format_months(months) == text
