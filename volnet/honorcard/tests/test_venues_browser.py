"""In Chromium on a 360-px phone, signed in as nobody: search the honor card venues by city, category and words,
page through them, meet a bad filter's message, and reach how a venue checks a card; axe on each page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from volnet.honorcard.models import Venue
from volnet.tests.a11y import PHONE, assert_accessible, assert_fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def taichung(authority):
    start = dt.date(2020, 1, 1)
    common = {"authority": authority, "city": "臺中市", "benefit": "持卡本人免費入館", "phone": "04-2372-3552",
              "opening_hours": "週二至週日 9:00-17:00", "valid_from": start}
    for number in range(12):
        Venue.objects.create(name=f"臺中市立第{number + 1}圖書分館", district="北區", category="culture",
                             address=f"臺中市北區學士路{number + 1}號", **common)
    Venue.objects.create(name="東勢林場森林遊樂區", district="東勢區", category="scenic", benefit="門票免費",
                         address="臺中市東勢區勢林街6-1號", **{k: v for k, v in common.items() if k != "benefit"})
    Venue.objects.create(name="已經結束的館", district="西區", category="culture", address="西區1號",
                         valid_to=dt.date(2021, 1, 1), **common)


def test_anyone_finds_a_venue_on_a_phone(page, live_server, taichung):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="榮譽卡優惠場所").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("榮譽卡優惠場所查詢")
    expect(page.get_by_text("找到 13 個場所")).to_be_visible()  # the ended one is not shown
    assert_accessible(page, "venue search")
    assert_fits_the_width(page, what="venue search")
    page.get_by_role("link", name="第 2 頁", exact=True).click()
    expect(page.locator(".venue")).to_have_count(3)

    page.get_by_label("縣市").select_option("臺中市")
    page.get_by_label("類別").select_option(label="風景遊憩區")
    page.get_by_label("關鍵字").fill("東勢 免費")
    page.get_by_role("button", name="查詢").click()
    expect(page.get_by_text("找到 1 個場所")).to_be_visible()
    venue = page.locator(".venue")
    expect(venue.get_by_role("heading")).to_have_text("東勢林場森林遊樂區")
    expect(venue).to_contain_text("臺中市東勢區勢林街6-1號")
    expect(page.get_by_label("關鍵字")).to_have_value("東勢 免費")  # the form keeps what was typed
    assert_accessible(page, "one venue found")
    assert_fits_the_width(page, what="one venue found")

    venue.get_by_role("link", name="東勢林場森林遊樂區：如何查驗榮譽卡").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("場所查驗榮譽卡")
    page.get_by_label("QR code 下方的連結或代碼").fill("??")
    page.get_by_role("button", name="驗證").click()
    expect(page.get_by_text("看不懂這個代碼")).to_be_visible()
    assert_accessible(page, "venue check help with a wrong code")
    assert_fits_the_width(page, what="venue check help")

    page.goto(live_server.url + "/honor-card/venues/?city=火星&category=zoo")
    expect(page.get_by_text("沒有這個縣市，已改為查詢全部縣市。")).to_be_visible()
    expect(page.get_by_text("找到 13 個場所")).to_be_visible()
    assert_accessible(page, "venue search with bad filters")
