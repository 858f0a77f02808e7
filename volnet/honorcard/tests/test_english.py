"""In English (the footer's language switch): the card page, the venue check, the desk and the purge command.

The Chinese pages are covered by the other tests, which run in the default language and must not change.
"""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command, load_command_class
from django.urls import reverse
from django.utils import timezone, translation

from conftest import IDEOGRAPH, in_english
from volnet.honorcard import services
from volnet.honorcard.tests.qr import url_in_page, verdict

CARD = reverse("honorcard:card")
DESK = reverse("honorcard:applications")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://vol.example.gov.tw"
    return settings.SITE_URL


def main(html):
    return re.search(r"<main\b.*?</main>", html, re.S).group(0)


def page_content(html):
    """The page's own part of the 我的檔案 frame (the frame's menu belongs to the portal)."""
    return main(html).split('<div class="layout__main">', 1)[1]


def without(text, *data):
    for value in data:
        text = text.replace(value, "")
    return text


def test_the_card_page_reads_in_english_and_gives_the_script_its_words(client, volunteer, card, site):
    in_english(client)
    client.force_login(volunteer)
    html = client.get(CARD).content.decode()
    assert "<h1>Electronic honor card</h1>" in html
    assert ">Refresh QR code</button>" in html
    assert 'aria-label="QR code for checking the honor card"' in html
    assert '<strong id="qr-countdown" class="qr-countdown">5 minutes</strong> left' in html
    assert 'data-used="This QR code has been checked. To show your card again, press “Refresh QR code”."' in html
    assert 'data-expired="This QR code has expired. Press “Refresh QR code”."' in html
    assert 'data-voided="This QR code is void. Press “Refresh QR code”."' in html
    assert "<dt>Card number</dt>" in html and "Check history" in html
    # Only data is left in Chinese: the volunteer's name and the issuing authority's.
    assert not IDEOGRAPH.search(without(page_content(html), volunteer.name, card.authority.name))


def test_the_venue_check_reads_in_english(client, volunteer, card, site):
    in_english(client)
    client.force_login(volunteer)
    path = url_in_page(client.get(CARD).content.decode()).removeprefix(site)
    client.logout()  # the test client's logout forgets every cookie, the language's too
    in_english(client)
    html = client.get(path).content.decode()
    assert verdict(html) == "Valid"
    assert "<title>Honor card check: Valid" in html
    assert "<dt>Card number</dt>" in html and "<dt>Issued by</dt>" in html and "No photo" in html
    assert not IDEOGRAPH.search(without(main(html), "測○熊", card.authority.name))
    html = client.get(path).content.decode()
    assert verdict(html) == "Already used"
    assert "This QR code was already checked at " in html


def test_an_unknown_code_leaves_no_chinese_on_the_venue_page(client, db):
    in_english(client)
    html = client.get("/honor-card/c/AAAAAAAAAAAAAAAAAAAAAAAA").content.decode()
    assert verdict(html) == "Unknown code"
    assert not IDEOGRAPH.search(main(html))


def test_the_refresh_message_is_in_english(client, volunteer, card):
    in_english(client)
    client.force_login(volunteer)
    html = client.post(reverse("honorcard:refresh"), follow=True).content.decode()
    assert "A new QR code has been made; the previous QR code no longer works." in html


def test_without_a_card_the_volunteer_reads_what_is_missing_in_english(client, build, volunteer):
    in_english(client)
    build.basic(dt.date(2021, 10, 1))
    build.book(dt.date(2021, 10, 1))
    client.force_login(volunteer)
    html = client.get(CARD).content.decode()
    assert "You do not have a valid volunteer service honor card at present." in html
    assert "<h2>Still needed for an honor card</h2>" in html
    assert "<li>No ID photo</li>" in html and "<li>Not enough hours: 0 of 300</li>" in html
    assert "0 hours (300 hours needed)" in html


def test_a_rejection_without_a_reason_is_refused_in_english(client, authority_clerk, supervisor_a, eligible, unit_a):
    in_english(client)
    application = services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a)
    client.force_login(authority_clerk)
    response = client.post(DESK, {"kind": "card", "application": application.pk, "action": "reject", "note": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please give the reason for rejecting" in html  # records asks the same, in the same words
    assert "<h1>Honor card and award applications</h1>" in html and ">Approve and issue card</button>" in html
    assert 'aria-label="Reject the application for 測試熊"' in html


def test_approval_is_confirmed_in_english(client, authority_clerk, supervisor_a, eligible, unit_a):
    in_english(client)
    application = services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a)
    client.force_login(authority_clerk)
    html = client.post(DESK, {"kind": "card", "application": application.pk, "action": "approve"},
                       follow=True).content.decode()
    assert "Approved: honor card TXG-SOC-" in html and "has been issued to 測試熊." in html


def test_the_purge_command_reports_in_english(card):
    services.issue_token(card, now=timezone.now() - dt.timedelta(days=2))
    out = io.StringIO()
    with translation.override("en"):
        call_command("purge_card_tokens", stdout=out)
        command = load_command_class("volnet.honorcard", "purge_card_tokens")
        usage = command.create_parser("manage.py", "purge_card_tokens")
        help_text = " ".join(usage.format_help().split())
    assert out.getvalue().strip() == "Deleted 1 expired QR code."
    assert "Delete honor card QR codes that expired more than a day ago" in help_text
    assert "Keep QR codes that expired within this many days (default 1)" in help_text
