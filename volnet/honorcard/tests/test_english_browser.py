"""In Chromium, in English: the card page's script takes its words from the page, so they are English too."""

import pytest

pytestmark = pytest.mark.browser


def test_the_countdown_ends_in_an_english_message(english_page, signed_in_page, volunteer, card, live_server):
    page = signed_in_page(volunteer)  # the same page as english_page: English and signed in
    page.clock.install()  # the page's clock, moved by the test: five minutes pass without waiting for them
    page.goto(live_server.url + "/honor-card/")
    assert page.locator("h1").inner_text() == "Electronic honor card"
    page.clock.fast_forward("05:01")
    page.wait_for_selector("#qr-status:has-text('This QR code has expired.')", timeout=8_000)
    assert page.locator("#qr-status").inner_text() == "This QR code has expired. Press “Refresh QR code”."
    assert page.locator("#qr-countdown").inner_text() == "0:00"
