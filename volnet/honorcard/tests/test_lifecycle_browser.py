"""In Chromium: the holder reports the card lost, the venue refuses its QR code at once, the authority
issues a replacement, the holder sees each step and shows the new card; axe on every page of it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from volnet.honorcard.models import HonorCard
from volnet.honorcard.tests.test_card_browser import scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def accessible(page, what):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"


def _signed_in_context(browser, live_server, settings, user, viewport=None):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _verdict(page):
    return page.locator("h1#verdict").inner_text().strip()


def test_a_lost_card_is_replaced_and_its_old_qr_refused(browser, live_server, settings, volunteer, card,
                                                         authority_clerk):
    settings.SITE_URL = live_server.url
    holder_context = _signed_in_context(browser, live_server, settings, volunteer, PHONE)
    holder = holder_context.new_page()
    holder.goto(live_server.url + "/honor-card/")
    old_qr = scan(holder)

    holder.get_by_text("手機或卡片遺失？掛失榮譽卡").click()
    accessible(holder, "card page with the loss form open")
    holder.get_by_role("button", name=f"確定掛失 {card.number}").click()
    expect(holder.locator(".message--success")).to_contain_text("已立即停用")
    expect(holder.get_by_text(f"您已掛失榮譽卡 {card.number}，它已停用。")).to_be_visible()

    venue_context = browser.new_context(viewport=PHONE)
    venue = venue_context.new_page()
    venue.goto(old_qr)
    assert _verdict(venue).endswith("卡片已失效")

    clerk_context = _signed_in_context(browser, live_server, settings, authority_clerk)
    clerk = clerk_context.new_page()
    clerk.goto(live_server.url + "/honor-card/applications/")
    clerk.get_by_role("link", name="榮譽卡管理（補發、註銷）").click()
    clerk.get_by_label("狀態").select_option(label="已掛失")
    clerk.get_by_role("button", name="查詢").click()
    accessible(clerk, "榮譽卡管理")
    clerk.get_by_role("link", name=card.number).click()
    accessible(clerk, "one card")
    clerk.get_by_role("button", name="確定補發").click()
    expect(clerk.get_by_text("已補發新卡")).to_be_visible()
    new = HonorCard.objects.get(replaces=card)

    holder.goto(live_server.url + "/honor-card/")
    expect(holder.locator(".honor-card__facts").get_by_text(new.number)).to_be_visible()
    life = holder.locator(".card-life")
    expect(life.get_by_text("掛失")).to_be_visible()
    expect(life.get_by_text("補發新卡").first).to_be_visible()
    accessible(holder, "card page after the replacement")
    new_qr = scan(holder)
    venue.goto(old_qr)
    assert _verdict(venue).endswith("卡片已失效")
    venue.goto(new_qr)
    assert _verdict(venue).endswith("有效")
    for context in (holder_context, venue_context, clerk_context):
        context.close()
