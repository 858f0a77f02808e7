"""A volunteer filters, pages, goes back, downloads and prints the record book in Chromium; axe checks."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from volnet.recordbook.tests.pdftools import Pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# window.print() would open a dialog; count the calls instead.
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"


def accessible(page, what):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"


def rows(page):
    return page.locator("table.rb-table tbody tr")


def first_cell(page):
    return rows(page).first.locator("td").first.inner_text()


@pytest.fixture
def book_page(signed_in_page, bear, live_server):
    page = signed_in_page(bear)
    page.goto(live_server.url + "/me/record-book/")
    return page


def test_filter_search_reset_pages_and_back(book_page, live_server):
    page = book_page
    expect(page.get_by_role("heading", name="志願服務紀錄冊列印", level=1)).to_be_visible()
    expect(rows(page)).to_have_count(10)
    expect(page.get_by_text("共有：16筆")).to_be_visible()
    accessible(page, "query page")

    # 單位名稱 → 查詢
    page.get_by_label("單位名稱").select_option(label="1-187臺中市志願服務推廣中心志工隊")
    page.get_by_role("button", name="查詢").click()
    page.wait_for_url(re.compile(r"unit=\d+"))
    expect(rows(page)).to_have_count(8)
    expect(page.get_by_text("共有：8筆")).to_be_visible()

    # 重設 → the bare page
    page.get_by_role("link", name="重設").click()
    page.wait_for_url(live_server.url + "/me/record-book/")
    expect(page.get_by_text("共有：16筆")).to_be_visible()
    assert page.get_by_label("單位名稱").input_value() == ""

    # page 2, then back to page 1 with the browser's back button
    page.get_by_role("navigation", name="分頁").get_by_role("link", name="第 2 頁").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert first_cell(page) == "11"
    page.go_back()
    page.wait_for_url(live_server.url + "/me/record-book/")
    assert first_cell(page) == "1"
    page.go_forward()
    page.wait_for_url(re.compile(r"page=2"))
    assert first_cell(page) == "11"

    # a period with the ends swapped: a message, the typed dates kept, axe still happy
    page.get_by_label("開始日期").fill("115/03/30")
    page.get_by_label("結束日期").fill("115/03/01")
    page.get_by_role("button", name="查詢").click()
    page.wait_for_url(re.compile(r"start="))
    expect(page.get_by_text("結束日期：結束日期 115/03/01 早於開始日期 115/03/30，請確認。")).to_be_visible()
    assert page.get_by_label("開始日期").input_value() == "115/03/30"
    accessible(page, "query page with errors")

    # the right order → the three March rows
    page.get_by_label("開始日期").fill("115/03/01")
    page.get_by_label("結束日期").fill("115/03/30")
    page.get_by_role("button", name="查詢").click()
    page.wait_for_url(re.compile(r"end=115%2F03%2F30"))
    expect(rows(page)).to_have_count(3)
    page.go_back()
    assert page.get_by_label("開始日期").input_value() == "115/03/30"


def test_download_the_pdf(book_page):
    page = book_page
    page.get_by_label("服務項目").select_option("老人服務")
    page.get_by_role("button", name="查詢").click()
    page.wait_for_url(re.compile(r"item="))
    with page.expect_download() as info:
        page.get_by_role("link", name="下載紀錄冊（PDF）").click()
    download = info.value
    today = timezone.localdate()
    assert download.suggested_filename == f"志願服務紀錄冊-{today.year - 1911}-{today:%m}-{today:%d}.pdf"
    document = Pdf(open(download.path(), "rb").read())
    assert "姓名：測試熊" in document.flat(1)
    assert [row[2] for row in document.page_rows[1] if row[0].isdigit()] == ["電話問安", "資料整理"]


def test_print_opens_the_print_dialog_and_the_button_prints_again(book_page):
    page = book_page
    page.add_init_script(COUNT_PRINTS)
    page.get_by_role("link", name="列印", exact=True).click()
    page.wait_for_url(re.compile(r"/print/"))
    expect(page.get_by_role("heading", name="志願服務紀錄冊-服務")).to_be_visible()
    page.wait_for_function("() => window.__prints >= 1")
    page.get_by_role("button", name="列印", exact=True).click()
    assert page.evaluate("window.__prints") == 2
    accessible(page, "print view")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="列印", exact=True)).not_to_be_visible()
    assert page.locator(".rb-sheet").first.evaluate("el => getComputedStyle(el).breakBefore") == "page"


def test_on_a_phone_rows_become_cards_and_nothing_scrolls_sideways(book_page):
    page = book_page
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cell = rows(page).first.locator("td").nth(5)
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"服務運用單位"'  # each cell is labelled
    assert cell.bounding_box()["width"] <= PHONE["width"]
    for name in ["服務", "訓練", "其他獎項表揚"]:
        tab = page.get_by_role("navigation", name="紀錄冊類別").get_by_role("link", name=name, exact=True)
        with page.expect_navigation():
            tab.click()
        expect(tab).to_have_attribute("aria-current", "page")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        accessible(page, f"phone {name}")
