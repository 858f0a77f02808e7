"""In English (the footer's language switch): 資格查詢 and the engine's reasons, with their figures in place.

The rule table keeps its Chinese names (records.Award stores them); only their display is translated.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import IDEOGRAPH, in_english
from volnet.eligibility.engine import format_months
from volnet.eligibility.models import Rule
from volnet.honorcard.queries import evaluate_volunteer

QUERY = reverse("eligibility:query")
APPLY = reverse("honorcard:apply")


@pytest.fixture
def ready(build, volunteer):
    build.ready(dt.date(2018, 7, 2))
    build.hours(dt.date(2019, 1, 1), 1600)
    return volunteer


def rule_summary(html):
    return re.search(r'<div class="rule-summary">.*?</div>', html, re.S).group(0)


def test_the_query_page_reads_in_english(client, supervisor_a, ready):
    in_english(client)
    client.force_login(supervisor_a)
    html = client.get(QUERY).content.decode()
    assert "<title>Eligibility | Honor card" in html and "<h1>Eligibility</h1>" in html
    assert ">Health and Welfare Volunteer Award</a>" in html and ">Eligible for an award</a>" in html
    assert '<label for="q">National ID number or name</label>' in html
    assert ">Apply for honor card</button>" in html
    assert 'aria-label="Apply for an honor card for 測試熊"' in html
    summary = rule_summary(html)
    assert "at least 3 years of service and 300 service hours" in summary and not IDEOGRAPH.search(summary)


def test_the_reasons_and_levels_read_in_english_with_their_figures(client, supervisor_a, ready):
    in_english(client)
    client.force_login(supervisor_a)
    html = client.get(QUERY, {"tab": "medal"}).content.decode()
    assert "<li>Not enough hours: 1600 of 3000</li>" in html
    assert "Bronze medal: 3000 hours, Silver medal: 5000 hours, Gold medal: 8000 hours." in html
    assert not IDEOGRAPH.search(rule_summary(html))
    html = client.get(QUERY, {"tab": "health"}).content.decode()
    assert ">Apply for Bronze</button>" in html
    assert 'aria-label="Apply for Health and Welfare Volunteer Award, bronze badge for 測試熊"' in html
    assert "Eligible: Health and Welfare Volunteer Award, bronze badge" in html
    html = client.get(QUERY, {"tab": "eligible"}).content.decode()
    assert "Bronze badge</span>" in html and "Eligible for at least one: 1 volunteer" in html


def test_a_volunteer_without_photo_or_hours_is_told_why_in_english(client, supervisor_a, build):
    in_english(client)
    build.basic(dt.date(2021, 10, 1))
    build.book(dt.date(2021, 10, 1))
    client.force_login(supervisor_a)
    html = client.get(QUERY).content.decode()
    assert "<li>No ID photo</li>" in html and "<li>Not enough hours: 0 of 300</li>" in html
    assert "No volunteer matches “Lee”." in client.get(QUERY, {"q": "Lee"}).content.decode()


def test_applying_is_confirmed_or_refused_in_english(client, supervisor_a, ready, volunteer, unit_a):
    in_english(client)
    client.force_login(supervisor_a)
    html = client.post(APPLY, {"volunteer": volunteer.pk, "unit": unit_a.pk, "kind": "honor_card"},
                       follow=True).content.decode()
    assert "An honor card application for 測試熊 has been sent to 臺中市政府社會局 for review." in html
    assert "Application under review" in html
    html = client.post(APPLY, {"volunteer": volunteer.pk, "unit": unit_a.pk, "kind": "volunteer_medal"},
                       follow=True).content.decode()
    assert "測試熊: Not eligible to apply: " in html and "Not enough hours: 1600 of 3000" in html


def test_the_engine_speaks_the_active_language_and_the_rule_table_stays_chinese(build, volunteer):
    build.ready(dt.date(2021, 10, 2))
    build.hours(dt.date(2022, 5, 1), 300)
    with translation.override("en"):
        assert [format_months(n) for n in (0, 1, 12, 27, 36)] == [
            "0 months", "1 month", "1 year", "2 years 3 months", "3 years"]
        result = evaluate_volunteer(volunteer, dt.date(2024, 10, 1)).honor_card
        assert result.reasons == ["Length of service too short: 2 years 11 months of 3 years"]
        badge = Rule.objects.get(scheme=Rule.Scheme.HEALTH_BADGE, level="bronze")
        assert (badge.display_name, badge.display_level) == ("Health and Welfare Volunteer Award, bronze badge",
                                                             "Bronze")
        assert (badge.name, badge.level_label) == ("衛生福利志願服務銅質徽章", "銅質")
    assert evaluate_volunteer(volunteer, dt.date(2024, 10, 1)).honor_card.reasons == ["年資不足 2年11個月/3年"]
