"""志願服務獎勵 medals (3,000/5,000/8,000 h) and 衛生福利 badges (1,500/2,000/2,500 h), domain.md §3.6–3.7."""

import datetime as dt
from decimal import Decimal

import pytest

from volnet.eligibility.engine import evaluate_volunteer
from volnet.records.models import Award
from volnet.units.models import Membership

TODAY = dt.date(2025, 2, 10)
MEDAL = Award.Kind.VOLUNTEER_SERVICE
BADGE = Award.Kind.HEALTH_WELFARE


@pytest.fixture
def ready(build):
    build.ready(dt.date(2018, 7, 2))
    return build


def medal(volunteer):
    return evaluate_volunteer(volunteer, TODAY).volunteer_medal


def badge(volunteer):
    return evaluate_volunteer(volunteer, TODAY).health_badge


@pytest.mark.parametrize(
    ("hours", "level"),
    [("1500", "銅質"), ("1999.9", "銅質"), ("2000", "銀質"), ("2500", "金質"), ("9000", "金質")],
)
def test_badge_levels_follow_the_hours(ready, volunteer, hours, level):
    ready.hours(dt.date(2019, 1, 1), hours)
    result = badge(volunteer)
    assert result.eligible and result.rule.level_label == level


def test_below_the_first_badge_the_reason_gives_the_hours(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), "1499.9")
    assert badge(volunteer).reasons == ["時數不足 1499.9/1500"]


@pytest.mark.parametrize(
    ("hours", "level"), [("3000", "銅牌"), ("4999.9", "銅牌"), ("5000", "銀牌"), ("8000", "金牌")]
)
def test_medal_levels_follow_the_hours(ready, volunteer, hours, level):
    ready.hours(dt.date(2019, 1, 1), hours)
    result = medal(volunteer)
    assert result.eligible and result.rule.level_label == level


def test_each_level_is_awarded_once(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), 3500)
    ready.award(MEDAL, "銅牌")
    result = medal(volunteer)
    assert not result.eligible
    assert result.held == "銅牌"
    assert result.rule.level_label == "銀牌"
    assert result.reasons == ["時數不足 3500/5000"]


def test_never_a_lower_level_after_a_higher_one(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), 4000)
    ready.award(MEDAL, "銀牌")
    result = medal(volunteer)
    assert not result.eligible
    assert result.rule.level_label == "金牌"


def test_after_the_highest_level_nothing_is_left(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), 9000)
    ready.award(MEDAL, "金牌")
    assert medal(volunteer).reasons == ["已領有最高等級（金牌）"]


def test_a_held_award_is_recognised_by_its_name_too(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), 2100)
    ready.award(BADGE, level="", name="衛生福利志願服務銀質徽章")
    assert badge(volunteer).reasons == ["時數不足 2100/2500"]


def test_badges_and_medals_are_separate_schemes(ready, volunteer):
    ready.hours(dt.date(2019, 1, 1), 3000)
    ready.award(BADGE, "金質")
    assert medal(volunteer).eligible


def test_medals_count_only_hours_of_units_that_can_issue_a_certificate(ready, volunteer, unit_b):
    Membership.objects.create(volunteer=volunteer, unit=unit_b, joined_on=dt.date(2024, 9, 1))
    ready.hours(dt.date(2019, 1, 1), 2900)
    ready.hours(dt.date(2024, 9, 1), 140, unit=unit_b)  # under a year and under 150 h: no certificate
    result = medal(volunteer)
    assert result.reasons == ["時數不足 2900/3000"]
    assert result.hours == Decimal("2900")
    assert badge(volunteer).hours == Decimal("3040")


def test_without_any_certificate_a_medal_is_out_of_reach(build, volunteer):
    build.ready(dt.date(2024, 6, 1))
    build.hours(dt.date(2024, 6, 1), 3200)
    assert medal(volunteer).reasons == ["缺績效證明書資格", "時數不足 0/3000"]


def test_awards_need_a_record_book(build, volunteer):
    build.basic(dt.date(2018, 7, 2))
    build.special(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 1600)
    assert badge(volunteer).reasons == ["缺紀錄冊"]
