import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_visitor_finds_volunteer_login_at_the_top_right_on_a_phone(live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    login = page.get_by_role("link", name="志工登入").first
    box = login.bounding_box()
    assert box["x"] > 360 / 2  # right-hand side of the header
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    login.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_the_home_page_has_no_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_visitor_switches_the_site_to_english_and_back_from_the_footer(live_server, page):
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Volunteer login").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    with page.expect_navigation():
        page.get_by_role("button", name="切換為中文").click()
    expect(page.get_by_role("link", name="志工登入").first).to_be_visible()


def test_the_front_page_qr_code_opens_the_site(live_server, page, settings):
    from volnet.honorcard.tests.qr import decode

    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    qr = page.get_by_role("img", name="志願服務資訊網 QR code")
    expect(qr).to_be_visible()
    url = decode(qr.screenshot())
    assert url == live_server.url + "/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(url)
    expect(page.get_by_role("heading", name="志願服務資訊網", level=1)).to_be_visible()
