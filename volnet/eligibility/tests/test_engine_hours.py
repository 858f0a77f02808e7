"""Which service hours count (domain.md §0 rules 7–8, §3.3): pinned dates, every boundary."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.honorcard.queries import evaluate_volunteer
from volnet.records.models import ServiceRecord
from volnet.units.models import Membership

TODAY = dt.date(2025, 1, 15)  # the window ends 2024-12-31
TRAINED = dt.date(2021, 10, 3)


def counted(volunteer):
    return evaluate_volunteer(volunteer, TODAY).honor_card.hours


@pytest.fixture
def ready(build):
    build.ready(TRAINED)
    return build


def test_hours_on_the_day_training_was_complete_count_and_the_day_before_does_not(ready, volunteer):
    ready.hours(TRAINED - dt.timedelta(days=1), 5)
    ready.hours(TRAINED, 3)
    assert counted(volunteer) == Decimal("3")


def test_training_completes_on_the_later_of_basic_and_special(build, volunteer):
    build.basic(dt.date(2021, 5, 10))
    build.special(dt.date(2021, 10, 3))
    build.book(dt.date(2021, 11, 1))
    build.hours(dt.date(2021, 6, 1), 10)  # after basic, before special
    build.hours(dt.date(2021, 10, 3), 4)
    result = evaluate_volunteer(volunteer, TODAY)
    assert result.service_start == dt.date(2021, 10, 3)
    assert result.honor_card.hours == Decimal("4")


def test_training_minutes_add_up_across_courses_as_in_the_manual(build, volunteer):
    # The manual's training tab: special 110/05/05 (2 h), basic 110/05/10 (6 h), special 110/10/02~03 (12 h).
    build.special(dt.date(2021, 5, 5), minutes=120)
    build.basic(dt.date(2021, 5, 10), minutes=360)
    build.special(dt.date(2021, 10, 2), minutes=720, end=dt.date(2021, 10, 3))
    build.book(dt.date(2021, 11, 1))
    assert evaluate_volunteer(volunteer, TODAY).service_start == dt.date(2021, 10, 3)


def test_basic_training_before_june_2018_needed_twelve_hours(build, volunteer):
    build.basic(dt.date(2017, 3, 1), minutes=360)
    build.special(dt.date(2017, 3, 2))
    build.book(dt.date(2017, 4, 1))
    result = evaluate_volunteer(volunteer, TODAY)
    assert "基礎訓練未完成 6/12小時" in result.honor_card.reasons
    build.basic(dt.date(2017, 5, 1), minutes=360)
    result = evaluate_volunteer(volunteer, TODAY)
    assert result.service_start == dt.date(2017, 5, 1)
    assert not any("基礎訓練" in reason for reason in result.honor_card.reasons)


def test_six_hours_of_basic_training_suffice_from_june_2018(build, volunteer):
    build.basic(dt.date(2018, 6, 1), minutes=360)
    build.special(dt.date(2018, 6, 2))
    build.book(dt.date(2018, 7, 1))
    assert evaluate_volunteer(volunteer, TODAY).service_start == dt.date(2018, 6, 2)


def test_special_training_of_another_category_does_not_open_the_count(build, volunteer):
    build.basic(TRAINED)
    build.special(TRAINED, category="education")
    build.book(TRAINED, category="social_welfare")
    build.hours(dt.date(2022, 1, 1), 10)
    result = evaluate_volunteer(volunteer, TODAY).honor_card
    assert "缺特殊訓練（社會福利類）" in result.reasons


def test_without_training_entered_hours_count_from_the_record_book_issue_date(build, volunteer):
    build.book(dt.date(2020, 3, 1))
    build.hours(dt.date(2020, 2, 29), 7)
    build.hours(dt.date(2020, 3, 1), 5)
    result = evaluate_volunteer(volunteer, TODAY)
    assert result.service_start == dt.date(2020, 3, 1)
    assert result.health_badge.hours == Decimal("5")
    assert {"缺基礎訓練", "缺特殊訓練（社會福利類）"} <= set(result.honor_card.reasons)


def test_without_training_or_record_book_nothing_counts(build, volunteer):
    build.hours(dt.date(2022, 1, 1), 10)
    result = evaluate_volunteer(volunteer, TODAY)
    assert result.service_start is None
    assert result.honor_card.hours == 0
    assert result.health_badge.hours == 0


def test_only_approved_records_without_a_misuse_note_count(ready, volunteer):
    ready.hours(dt.date(2022, 1, 1), 1)
    ready.hours(dt.date(2022, 1, 2), 10, status=ServiceRecord.Status.PENDING)
    ready.hours(dt.date(2022, 1, 3), 20, status=ServiceRecord.Status.DECLINED)
    ready.hours(dt.date(2022, 1, 4), 40, misuse_note="紀錄冊借予他人使用（管理辦法第6條）")
    assert counted(volunteer) == Decimal("1")


def test_training_time_is_never_service_time(ready, volunteer):
    ready.basic(dt.date(2022, 1, 1), minutes=6000)
    ready.hours(dt.date(2022, 1, 1), 2)
    assert counted(volunteer) == Decimal("2")


def test_hours_served_during_a_trial_period_do_not_count(ready, volunteer, unit_a):
    Membership.objects.filter(volunteer=volunteer, unit=unit_a).update(trial_until=dt.date(2022, 3, 1))
    ready.hours(dt.date(2022, 2, 28), 6)
    ready.hours(dt.date(2022, 3, 1), 2)
    assert counted(volunteer) == Decimal("2")


def test_a_trial_at_one_unit_does_not_touch_hours_at_another(ready, volunteer, unit_a, unit_b):
    Membership.objects.filter(volunteer=volunteer, unit=unit_a).update(trial_until=dt.date(2022, 3, 1))
    Membership.objects.create(volunteer=volunteer, unit=unit_b, joined_on=dt.date(2021, 11, 1))
    ready.hours(dt.date(2022, 2, 1), 6, unit=unit_b)
    assert counted(volunteer) == Decimal("6")


def test_hours_of_the_current_month_wait_for_the_next_month(ready, volunteer):
    ready.hours(dt.date(2024, 12, 31), 3)
    ready.hours(dt.date(2025, 1, 1), 9)
    assert counted(volunteer) == Decimal("3")


def test_a_record_spanning_months_is_dated_by_its_first_day(ready, volunteer):
    ready.hours(dt.date(2024, 12, 20), 8, end=dt.date(2025, 1, 10))
    assert counted(volunteer) == Decimal("8")


def test_an_authority_that_counts_half_hours_rounds_each_record_down(ready, volunteer, authority):
    authority.hour_rounding_step = Decimal("0.5")
    authority.save()
    ready.hours(dt.date(2022, 1, 1), "2.7")
    ready.hours(dt.date(2022, 1, 1), "0.4")
    ready.hours(dt.date(2022, 1, 2), "3.5")
    assert counted(volunteer) == Decimal("6.0")


def test_hours_from_every_unit_count_toward_the_honor_card(ready, volunteer, unit_b):
    ready.hours(dt.date(2022, 1, 1), 100)
    ready.hours(dt.date(2022, 1, 1), 50, unit=unit_b)
    assert counted(volunteer) == Decimal("150")
