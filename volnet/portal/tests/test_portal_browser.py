"""A volunteer on a 360 px phone walks through 我的檔案; axe-core checks every page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal.tests.images import picture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone(signed_in_page, bear):
    page = signed_in_page(bear)
    page.set_viewport_size(PHONE)
    return page


def _check(page, what):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{what} scrolls sideways"


def test_a_volunteer_walks_every_tab_of_service_records_on_a_phone(phone, live_server):
    page = phone
    page.goto(live_server.url + "/me/")
    expect(page.get_by_role("heading", name="我的檔案", level=1)).to_be_visible()
    _check(page, "overview")

    page.get_by_role("navigation", name="我的檔案選單").get_by_role("link", name="服務紀錄", exact=True).click()
    tabs = page.get_by_role("navigation", name="服務紀錄類別")
    expect(tabs.get_by_role("link", name="教育訓練時數")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("cell", name="12小時00分鐘").first).to_be_visible()
    _check(page, "教育訓練時數")

    for name, expected in [("紀錄冊", "TC110-000123"), ("服務時數", "電話問安"), ("志工保險", "FB-115-VOL-0299"),
                           ("其他登錄事項", "志工隊小隊長")]:
        tabs.get_by_role("link", name=name, exact=True).click()
        expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", name=name, level=2, exact=True)).to_be_visible()
        expect(page.get_by_text(expected).first).to_be_visible()
        _check(page, name)

    # the hours tab: the chart, the year table, and the second page of rows
    tabs.get_by_role("link", name="服務時數").click()
    expect(page.get_by_role("img", name="各年度服務時數長條圖")).to_be_visible()
    page.get_by_role("navigation", name="服務時數分頁").get_by_role("link", name="第 2 頁").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.get_by_role("link", name="社區關懷據點服務", exact=True)).to_be_visible()
    _check(page, "服務時數第 2 頁")


def test_the_tabs_work_from_the_keyboard(phone, live_server):
    page = phone
    page.goto(live_server.url + "/me/services/")
    link = page.get_by_role("navigation", name="服務紀錄類別").get_by_role("link", name="志工保險")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**tab=insurance")
    expect(page.get_by_text("目前有有效的志工保險")).to_be_visible()


def test_honors_applications_and_profile_pages_pass_on_a_phone(phone, live_server):
    page = phone
    for path, heading in [("/me/honors/", "榮譽紀錄"), ("/me/applications/", "應徵紀錄"), ("/me/profile/", "我的檔案")]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        _check(page, heading)


def test_the_volunteer_changes_phone_and_photo_on_a_phone(phone, live_server, bear, tmp_path):
    page = phone
    page.goto(live_server.url + "/me/profile/")
    page.get_by_label("電話", exact=True).fill("04-2345-6789")
    page.get_by_role("button", name="儲存聯絡資料").click()
    expect(page.get_by_text("請輸入目前的密碼，才能變更電話或電子信箱").first).to_be_visible()
    _check(page, "profile asking for the password")
    page.get_by_label("目前的密碼").fill(BEAR_PASSWORD)
    page.get_by_role("button", name="儲存聯絡資料").click()
    expect(page.get_by_text("聯絡資料已儲存")).to_be_visible()
    bear.refresh_from_db()
    assert bear.phone == "04-2345-6789"

    page.get_by_label("電話", exact=True).fill("請打手機")
    page.get_by_role("button", name="儲存聯絡資料").click()
    expect(page.get_by_text("電話請填寫數字").first).to_be_visible()
    assert page.get_by_label("電話", exact=True).input_value() == "請打手機"
    _check(page, "profile with errors")

    photo = tmp_path / "me.png"
    photo.write_bytes(picture((900, 900), fmt="PNG"))
    page.get_by_label("上傳新的大頭照").set_input_files(str(photo))
    page.get_by_role("button", name="上傳照片").click()
    expect(page.get_by_text("大頭照已更新")).to_be_visible()
    page.wait_for_function("() => [...document.images].every(i => i.complete)")  # images load after the HTML
    size = page.get_by_role("img", name="測試熊 目前的大頭照").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [414, 552]
    _check(page, "profile after photo")
