"""In Chromium, as on a phone: the card's QR code is read from a screenshot and opened by a 'venue' browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from volnet.honorcard.models import CardToken
from volnet.honorcard.tests.qr import decode

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def holder(signed_in_page, volunteer, card, live_server, settings):
    """The volunteer's phone showing the card page; SITE_URL points at the test server."""
    settings.SITE_URL = live_server.url
    page = signed_in_page(volunteer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/honor-card/")
    return page


@pytest.fixture
def venue(browser):
    """The venue's phone: another browser, nobody signed in."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def scan(page):
    qr = page.locator("svg.qr__image")
    box = qr.bounding_box()
    assert box["width"] >= 240, "the QR code is too small to scan from a phone"
    return decode(qr.screenshot())


def test_a_scanned_code_is_valid_once_then_used(holder, venue, live_server, card):
    url = scan(holder)
    assert url.startswith(live_server.url + "/honor-card/c/")
    venue.goto(url)
    assert venue.locator("h1#verdict").inner_text().strip().endswith("有效")
    expect(venue.get_by_text("測○熊")).to_be_visible()
    expect(venue.get_by_text(card.number)).to_be_visible()
    assert Axe().run(venue).violations_count == 0
    venue.reload()
    assert venue.locator("h1#verdict").inner_text().strip().endswith("已使用")
    assert Axe().run(venue).violations_count == 0
    # The holder's page notices that the code was used (it asks every few seconds).
    holder.wait_for_selector("#qr-status:has-text('已完成驗證')", timeout=10_000)
    holder.reload()
    expect(holder.locator("table").get_by_text("有效")).to_be_visible()


def test_an_expired_code_is_refused(holder, venue):
    url = scan(holder)
    past = timezone.now() - timezone.timedelta(minutes=6)
    CardToken.objects.update(created_at=past, expires_at=past + timezone.timedelta(minutes=5))
    venue.goto(url)
    assert venue.locator("h1#verdict").inner_text().strip().endswith("已逾時")
    assert Axe().run(venue).violations_count == 0


def test_refresh_voids_the_old_code(holder, venue):
    old = scan(holder)
    holder.get_by_role("button", name="刷新 QRcode").click()
    holder.wait_for_selector("text=已產生新的 QR code")
    new = scan(holder)
    assert new != old
    venue.goto(old)
    assert venue.locator("h1#verdict").inner_text().strip().endswith("已作廢")
    venue.goto(new)
    assert venue.locator("h1#verdict").inner_text().strip().endswith("有效")


def test_the_countdown_ends_in_a_clear_message(signed_in_page, volunteer, card, live_server):
    page = signed_in_page(volunteer)
    page.clock.install()  # the page's clock, moved by the test: five minutes pass without waiting for them
    page.goto(live_server.url + "/honor-card/")
    expect(page.locator("#qr-status")).not_to_contain_text("已逾時")
    page.clock.fast_forward("05:01")
    page.wait_for_selector("#qr-status:has-text('已逾時')", timeout=8_000)
    assert page.locator("#qr-countdown").inner_text() == "0:00"


def test_the_card_page_has_no_accessibility_violations_and_fits_a_phone(holder):
    assert holder.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    results = Axe().run(holder)
    assert results.violations_count == 0, results.generate_report()


def test_the_page_without_a_card_has_no_accessibility_violations(signed_in_page, volunteer, live_server):
    page = signed_in_page(volunteer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/honor-card/")
    expect(page.get_by_text("您目前沒有有效的志願服務榮譽卡")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_neutral_page_has_no_accessibility_violations(venue, live_server, db):
    venue.set_extra_http_headers({"User-Agent": "TelegramBot (like TwitterBot)"})
    venue.goto(live_server.url + "/honor-card/c/AAAAAAAAAAAAAAAAAAAAAAAA")
    expect(venue.get_by_role("button", name="驗證此榮譽卡")).to_be_visible()
    results = Axe().run(venue)
    assert results.violations_count == 0, results.generate_report()


def test_the_page_that_stops_a_guesser_is_readable_on_a_phone(venue, live_server, db):
    for n in range(11):
        response = venue.goto(live_server.url + f"/honor-card/c/guess{n:02d}AAAAAAAAAAAAAAAAAA")
    assert response.status == 429
    expect(venue.locator("h1")).to_have_text("暫停驗證")
    expect(venue.get_by_text("此網路位址嘗試次數過多")).to_be_visible()
    assert venue.evaluate("document.documentElement.scrollWidth") <= 360
    results = Axe().run(venue)
    assert results.violations_count == 0, results.generate_report()
