"""A person's current honor card has one definition (HonorCard.objects.current_for): when two cards
overlap, 我的檔案, 電子榮譽卡, 榮譽紀錄 and 資格查詢 all show the same one."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from volnet.honorcard.models import HonorCard
from volnet.lib import rocdate
from volnet.units.models import Membership

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.fixture
def overlapping(build):
    """Two active cards valid today: one issued long ago that stays valid longer, one issued recently
    that ends sooner (a card issued on a second application before the first one ran out)."""
    today = timezone.localdate()
    longest = build.card(valid_from=today - 400 * DAY, valid_to=today + 700 * DAY, number="TC-HC-LONGEST")
    recent = build.card(valid_from=today - 10 * DAY, valid_to=today + 500 * DAY, number="TC-HC-RECENT")
    return longest, recent


def test_of_two_overlapping_cards_the_current_one_is_valid_longest(volunteer, overlapping):
    longest, _recent = overlapping
    assert HonorCard.objects.current_for(volunteer) == longest
    assert HonorCard.objects.current_for(volunteer.pk, timezone.localdate()) == longest


def test_cards_ending_the_same_day_make_the_more_recent_one_current(build, volunteer):
    older = build.card(valid_from=D(2024, 1, 1), valid_to=D(2027, 1, 1), number="A")
    newer = build.card(valid_from=D(2025, 1, 1), valid_to=D(2027, 1, 1), number="B")
    assert HonorCard.objects.current_for(volunteer, D(2025, 6, 1)) == newer
    assert HonorCard.objects.current_for(volunteer, D(2024, 6, 1)) == older


def test_a_revoked_expired_or_future_card_is_never_current(build, volunteer):
    today = D(2025, 1, 15)
    build.card(valid_from=D(2020, 1, 1), valid_to=D(2023, 1, 1), number="expired")
    build.card(valid_from=D(2025, 2, 1), valid_to=D(2028, 2, 1), number="future")
    revoked = build.card(valid_from=D(2024, 6, 1), valid_to=D(2027, 6, 1), number="revoked",
                         status=HonorCard.Status.REVOKED)
    assert HonorCard.objects.current_for(volunteer, today) is None
    assert revoked.state_on(today) == "revoked"
    valid = build.card(valid_from=D(2024, 5, 1), valid_to=D(2025, 1, 15), number="valid")
    assert HonorCard.objects.current_for(volunteer, today) == valid  # both ends count
    assert HonorCard.objects.current_for(volunteer, today + DAY) is None


def test_a_card_tells_whether_it_is_valid_expired_future_or_revoked(build):
    card = build.card(valid_from=D(2025, 6, 30), valid_to=D(2028, 6, 30), number="HC-1")
    assert [card.state_on(day) for day in (D(2025, 6, 30), D(2028, 6, 30), D(2028, 7, 1), D(2025, 6, 29))] == [
        "valid", "valid", "expired", "future"]


def test_the_current_cards_of_many_volunteers_agree_with_each_ones_current_card(
        build, volunteer, unit_a, overlapping, django_assert_num_queries):
    other = make_person("A123456789", "第二位")
    Membership.objects.create(volunteer=other, unit=unit_a, joined_on=D(2020, 1, 1))
    today = timezone.localdate()
    theirs = build.card(valid_from=today - DAY, valid_to=today + DAY, number="TC-HC-OTHER", volunteer=other)
    nobody = make_person("F222222222", "無卡")
    with django_assert_num_queries(1):
        current = HonorCard.objects.current_for_many([volunteer.pk, other.pk, nobody.pk], today)
    assert current == {volunteer.pk: HonorCard.objects.current_for(volunteer), other.pk: theirs}


def _row(html, number):
    """The table row (榮譽紀錄) that shows the card `number`."""
    return next(row for row in re.findall(r"<tr\b.*?</tr>", html, re.S) if number in row)


def test_every_page_that_shows_a_current_card_shows_the_same_one(client, volunteer, supervisor_a, overlapping):
    longest, recent = overlapping
    client.force_login(volunteer)

    home = client.get(reverse("portal:home")).content.decode()
    assert rocdate.format(longest.valid_to) in home and rocdate.format(recent.valid_to) not in home

    card_page = client.get(reverse("honorcard:card")).content.decode()
    shown = re.search(r'<section class="honor-card".*?</section>', card_page, re.S).group(0)  # 榮譽卡紀錄 lists both
    assert longest.number in shown and recent.number not in shown

    honors = client.get(reverse("portal:honors")).content.decode()
    assert "電子榮譽卡出示此卡" in _row(honors, longest.number)
    assert "電子榮譽卡出示此卡" not in _row(honors, recent.number)

    client.force_login(supervisor_a)
    query = client.get(reverse("eligibility:query"), {"tab": "honor_card"}).content.decode()
    assert f"持有榮譽卡 {longest.number}" in query and f"持有榮譽卡 {recent.number}" not in query
    assert f"現有榮譽卡有效至 {rocdate.format(longest.valid_to)}" in query  # the engine's note agrees
