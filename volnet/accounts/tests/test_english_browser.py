"""Chromium, in English: the scripts take their words from the page, so the password checklist and the
captcha announce themselves in the language the visitor chose."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_password_checklist_ticks_in_english(live_server, english_page, db):
    page = english_page
    page.goto(live_server.url + "/accounts/sign-up/")
    rules = page.locator("[data-password-rules] li")
    lower = rules.filter(has_text="Contains a lowercase letter")
    expect(lower.locator("[data-rule-state]")).to_have_text("(not met yet)")
    page.get_by_label("Password (required)", exact=True).press_sequentially("garden")
    expect(lower).to_have_class(re.compile("is-met"))
    expect(lower.locator("[data-rule-state]")).to_have_text("(met)")
    expect(page.locator("[data-rules-status]")).to_have_text("1 of 4 rules met")
    page.get_by_label("Password (required)", exact=True).fill("Garden-Party-2026")
    page.get_by_label("Password (required)", exact=True).dispatch_event("input")
    expect(page.locator("[data-password-rules] li.is-met")).to_have_count(4)
    expect(page.locator("[data-rules-status]")).to_have_text("All password rules are met")


def test_the_captcha_buttons_announce_in_english(live_server, english_page, db):
    page = english_page
    page.goto(live_server.url + "/accounts/login/")
    status = page.locator("[data-captcha-status]")
    key = page.locator("input[name=captcha_key]").input_value()
    page.get_by_role("link", name="New picture").click()
    expect(page.locator("input[name=captcha_key]")).not_to_have_value(key)
    expect(status).to_have_text("A new verification code is shown")
    page.get_by_role("link", name="Play the code as audio (Mandarin)").click()
    expect(status).to_have_text("Playing the audio verification code")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/sign-up/"])
def test_english_account_pages_have_no_accessibility_violations(live_server, english_page, db, path):
    english_page.goto(live_server.url + path)
    expect(english_page.locator("html")).to_have_attribute("lang", "en")
    results = Axe().run(english_page)
    assert results.violations_count == 0, results.generate_report()


def test_the_english_login_page_fits_a_phone(live_server, english_page, db):
    page = english_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for name in ("New picture", "Play the code as audio (Mandarin)"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 360
