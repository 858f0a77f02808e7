"""志願服務榮譽卡 (志願服務法 §20; domain.md §3.4, §9.7): 3 years, 300 hours, no hour counted twice."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.eligibility.models import Rule
from volnet.honorcard.queries import evaluate_volunteer
from volnet.lib.rocdate import parse as roc

TRAINED = dt.date(2021, 10, 1)


@pytest.fixture
def ready(build):
    build.ready(TRAINED)
    return build


def card(volunteer, today):
    return evaluate_volunteer(volunteer, today).honor_card


def test_three_years_and_three_hundred_hours_make_a_volunteer_eligible(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), 300)
    result = card(volunteer, dt.date(2024, 10, 1))  # window 2021-10-01 ~ 2024-09-30: exactly 3 years
    assert result.eligible, result.reasons
    assert (result.window_start, result.window_end) == (TRAINED, dt.date(2024, 9, 30))
    assert result.months == 36 and result.hours == Decimal("300")
    assert result.reasons == []


def test_one_day_short_of_three_years_is_not_enough(build, volunteer):
    build.ready(dt.date(2021, 10, 2))
    build.hours(dt.date(2022, 5, 1), 300)
    result = card(volunteer, dt.date(2024, 10, 1))
    assert not result.eligible
    assert result.reasons == ["年資不足 2年11個月/3年"]


def test_seniority_runs_to_the_end_of_the_previous_month_not_to_today(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), 300)
    assert card(volunteer, dt.date(2024, 9, 30)).reasons == ["年資不足 2年11個月/3年"]
    assert card(volunteer, dt.date(2024, 10, 1)).eligible


def test_a_tenth_of_an_hour_short_is_short(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), "299.9")
    assert card(volunteer, dt.date(2025, 1, 15)).reasons == ["時數不足 299.9/300"]


def test_the_reason_names_hours_counted_and_required(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), 285)
    assert card(volunteer, dt.date(2025, 1, 15)).reasons == ["時數不足 285/300"]


def test_both_shortfalls_are_given_at_once(build, volunteer):
    build.ready(dt.date(2022, 10, 1))
    build.hours(dt.date(2023, 1, 1), 100)
    assert card(volunteer, dt.date(2025, 1, 15)).reasons == ["年資不足 2年3個月/3年", "時數不足 100/300"]


def test_missing_special_training_is_named(build, volunteer):
    build.basic(TRAINED)
    build.book(TRAINED)
    build.photo()
    build.hours(dt.date(2022, 5, 1), 400)
    result = card(volunteer, dt.date(2025, 1, 15))
    assert not result.eligible
    assert result.reasons == ["缺特殊訓練（社會福利類）"]
    assert result.reasons[0].startswith("缺特殊訓練")


def test_missing_basic_training_record_book_and_photo_are_named(build, volunteer):
    build.special(TRAINED)
    build.hours(dt.date(2022, 5, 1), 400)
    assert card(volunteer, dt.date(2025, 1, 15)).reasons == ["缺紀錄冊", "缺基礎訓練", "缺證件照", "年資不足 0個月/3年",
                                                             "時數不足 0/300"]


def test_unfinished_special_training_shows_how_far_it_got(build, volunteer):
    build.basic(TRAINED)
    build.special(TRAINED, minutes=240)
    build.book(TRAINED)
    build.photo()
    assert "特殊訓練（社會福利類）未完成 4/6小時" in card(volunteer, dt.date(2025, 1, 15)).reasons


def test_hualien_example_1_the_next_window_starts_the_day_after_approval(ready, volunteer):
    # Applied 112/12/07, approved 112/12/13 → valid to 115/12/13; the next window starts 112/12/14.
    ready.card(valid_from=roc("112/12/13"), valid_to=roc("115/12/13"), counted_from=TRAINED,
               counted_to=roc("112/11/30"))
    ready.hours(roc("112/12/13"), 50)
    ready.hours(roc("112/12/14"), 7)
    result = card(volunteer, roc("114/01/15"))
    assert result.window_start == roc("112/12/14")
    assert result.hours == Decimal("7")
    assert any("自 112/12/14 起重新採計" in note for note in result.notes)


def test_hours_inside_an_earlier_cards_window_never_count_again(ready, volunteer):
    ready.hours(dt.date(2022, 1, 1), 400)
    ready.card(valid_from=dt.date(2024, 11, 20), valid_to=dt.date(2027, 11, 20), counted_from=TRAINED,
               counted_to=dt.date(2024, 10, 31))
    ready.hours(dt.date(2025, 3, 1), 280)
    result = card(volunteer, dt.date(2028, 1, 10))
    assert result.window_start == dt.date(2024, 11, 21)
    assert result.reasons == ["時數不足 280/300"]


def test_a_renewal_needs_three_new_years_after_the_previous_window(ready, volunteer):
    ready.card(valid_from=roc("112/12/13"), valid_to=roc("115/12/13"), counted_to=roc("112/11/30"))
    ready.hours(roc("113/01/01"), 320)
    # Window 112/12/14 ~ 115/11/30: 2 years 11 months, one month short.
    assert card(volunteer, roc("115/12/01")).reasons == ["年資不足 2年11個月/3年"]
    # Window 112/12/14 ~ 115/12/31: 3 years.
    assert card(volunteer, roc("116/01/01")).eligible


def test_the_latest_of_several_cards_closes_the_window(build, volunteer):
    build.ready(dt.date(2014, 1, 1))
    ready = build
    ready.card(valid_from=dt.date(2018, 1, 5), valid_to=dt.date(2021, 1, 5), number="A")
    ready.card(valid_from=dt.date(2021, 3, 5), valid_to=dt.date(2024, 3, 5), number="B")
    assert card(volunteer, dt.date(2025, 1, 15)).window_start == dt.date(2021, 3, 6)


def test_a_change_of_law_is_a_change_of_data(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), 250)
    today = dt.date(2025, 1, 15)
    assert not card(volunteer, today).eligible
    Rule.objects.filter(scheme=Rule.Scheme.HONOR_CARD).update(min_hours=250)
    assert card(volunteer, today).eligible


def test_a_rule_applies_only_from_its_effective_date(ready, volunteer):
    ready.hours(dt.date(2022, 5, 1), 250)
    current = Rule.objects.get(scheme=Rule.Scheme.HONOR_CARD)
    current.effective_to = dt.date(2025, 6, 30)
    current.save()
    Rule.objects.create(scheme=Rule.Scheme.HONOR_CARD, name="志願服務榮譽卡", min_months=36, min_hours=200,
                        validity_months=36, needs_training=True, needs_photo=True, effective_from=dt.date(2025, 7, 1))
    assert card(volunteer, dt.date(2025, 6, 30)).reasons == ["時數不足 250/300"]
    assert card(volunteer, dt.date(2025, 7, 1)).eligible
