"""From 資格查詢 to a card on the phone, in Chromium: the unit applies, the authority approves."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.honorcard.models import HonorCard

pytestmark = pytest.mark.browser


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_unit_applies_the_authority_approves_and_the_volunteer_has_a_card(
    signed_in_page, live_server, eligible, supervisor_a, authority_clerk
):
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/backoffice/eligibility/")
    row = page.locator("tr", has_text="測試熊")
    expect(row.get_by_text("符合").first).to_be_visible()
    no_violations(page)
    row.get_by_role("button", name="為 測試熊 申請榮譽卡").click()
    page.wait_for_selector("text=已為 測試熊 提出榮譽卡申請")
    expect(page.locator("tr", has_text="測試熊").get_by_text("申請審核中")).to_be_visible()

    page = signed_in_page(authority_clerk)
    page.goto(live_server.url + "/honor-card/applications/")
    no_violations(page)
    page.get_by_role("button", name="核准 測試熊 的申請").click()
    page.wait_for_selector("text=已核准並核發榮譽卡")
    card = HonorCard.objects.get(volunteer=eligible)
    expect(page.get_by_text(card.number).first).to_be_visible()

    page = signed_in_page(eligible)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/honor-card/")
    expect(page.locator(".honor-card__facts").get_by_text(card.number)).to_be_visible()
    expect(page.locator("svg.qr__image")).to_be_visible()


def test_a_refused_rejection_keeps_the_page_usable(signed_in_page, live_server, eligible, supervisor_a, authority_clerk,
                                                    unit_a):
    from volnet.honorcard import services

    services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a)
    page = signed_in_page(authority_clerk)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/honor-card/applications/")
    page.get_by_role("button", name="駁回 測試熊 的申請").click()
    expect(page.get_by_role("alert").get_by_text("請填寫駁回原因")).to_be_visible()
    no_violations(page)
    page.get_by_label("駁回原因").fill("照片模糊")
    page.get_by_role("button", name="駁回 測試熊 的申請").click()
    page.wait_for_selector("text=已駁回 測試熊 的申請")
