"""Issue 16 item 5 in the browser, on a 360 px phone: the demo volunteer walks every record list of 我的檔案, downloads
下載我的資料, and finds each record they saw in the zip's JSON and xlsx; then asks for a correction, the unit answers
it in 志工後台, and the volunteer reads the answer on the record. Every page passes axe-core."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from volnet.accounts.models import User
from volnet.demo.management.commands.seed_demo import VOLUNTEER_PASSWORD as BEAR_PASSWORD
from volnet.portal import mydata
from volnet.tests.a11y import PHONE, assert_accessible, assert_fits_the_width
from volnet.units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The kind in a correction link → the JSON section and the sheet the record must be in.
SECTION_OF = {"service": ("services", "服務時數"), "training": ("trainings", "教育訓練"),
              "book": ("record_books", "紀錄冊"), "insurance": ("insurance", "志工保險"),
              "other_item": ("other_items", "其他登錄事項"), "award": ("awards", "獎勵紀錄"),
              "certificate": ("certificates", "績效證明書")}
LISTS = ["/me/services/?tab=training", "/me/services/?tab=book", "/me/services/?tab=services",
         "/me/services/?tab=services&page=2", "/me/services/?tab=insurance", "/me/services/?tab=other", "/me/honors/"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _seen(page, live_server):
    """{(kind, id)} of every record the volunteer's record lists show (each row links to its correction page)."""
    seen = set()
    for address in LISTS:
        page.goto(live_server.url + address)
        for href in page.locator('main a[href^="/me/corrections/"]').evaluate_all("els => els.map(e => e.pathname)"):
            found = re.fullmatch(r"/me/corrections/(\w+)/(\d+)/", href)
            if found:  # not the menu's 更正申請
                seen.add((found.group(1), int(found.group(2))))
    return seen


def _download(page, live_server):
    page.goto(live_server.url + "/me/")
    page.get_by_role("navigation", name="我的檔案選單").get_by_role("link", name="下載我的資料").click()
    expect(page.get_by_text("每 60 分鐘最多下載 3 次")).to_be_visible()
    assert_accessible(page, "下載我的資料")
    assert_fits_the_width(page, what="下載我的資料")
    page.get_by_label("目前的密碼").fill(BEAR_PASSWORD)
    with page.expect_download() as info:
        page.get_by_role("button", name="下載我的資料（zip）").click()
    return zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))


def test_every_record_seen_in_my_records_is_in_the_download(signed_in_page, live_server, bear):
    page = signed_in_page(bear)
    page.set_viewport_size(PHONE)
    seen = _seen(page, live_server)
    assert {kind for kind, _pk in seen} >= {"service", "training", "book", "insurance", "other_item", "award"}
    assert len([1 for kind, _pk in seen if kind == "service"]) == 16  # both pages of 服務時數

    archive = _download(page, live_server)
    data = json.loads(archive.read(mydata.JSON_NAME))
    book = load_workbook(io.BytesIO(archive.read(mydata.XLSX_NAME)), read_only=True)
    for kind, pk in sorted(seen):
        section, sheet = SECTION_OF[kind]
        assert pk in {row["id"] for row in data["sections"][section]}, (kind, pk)
        assert pk in {row[0] for row in book[sheet].iter_rows(min_row=2, values_only=True)}, (kind, pk)
    assert data["sections"]["profile"][0]["national_id"] == "E122333441"


def test_a_correction_asked_answered_by_the_unit_and_read_on_the_record(signed_in_page, live_server, bear):
    page = signed_in_page(bear)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/me/services/?tab=services")
    page.get_by_role("link", name=re.compile("^申請更正.*電話問安")).first.click()
    expect(page.get_by_role("heading", name="申請更正", level=1)).to_be_visible()
    page.get_by_label("錯誤之處").fill("3 月只服務了 10 小時")
    page.get_by_label("正確內容").fill("服務時數 10 小時")
    with page.expect_navigation():
        page.get_by_role("button", name="送出更正申請").click()
    expect(page.get_by_text("已送出更正申請")).to_be_visible()
    expect(page.get_by_text("處理中", exact=True)).to_be_visible()
    assert_accessible(page, "申請更正")
    assert_fits_the_width(page, what="申請更正")
    record_page = page.url

    desk = signed_in_page(User.objects.get(national_id="B223456782"))  # 何小倫, 志工督導 of the unit
    desk.set_viewport_size(PHONE)
    team = Unit.objects.get(code="2-299")
    desk.goto(live_server.url + f"/backoffice/corrections/?unit={team.pk}")
    expect(desk.get_by_text("3 月只服務了 10 小時")).to_be_visible()
    assert_accessible(desk, "更正申請 queue")
    assert_fits_the_width(desk, what="更正申請 queue")
    desk.get_by_role("link", name=re.compile("^回覆：")).click()
    expect(desk.get_by_role("link", name="開啟這筆紀錄以更正")).to_have_attribute(
        "href", re.compile(r"^/backoffice/services/\d+/edit/$"))
    desk.get_by_label("已更正紀錄").check()
    desk.get_by_label("說明").fill("已改為 10 小時")
    with desk.expect_navigation():
        desk.get_by_role("button", name="送出回覆").click()
    expect(desk.get_by_text("已回覆更正申請")).to_be_visible()

    page = signed_in_page(bear)
    page.goto(record_page)
    expect(page.get_by_text("已改為 10 小時")).to_be_visible()
    expect(page.get_by_text("已更正").first).to_be_visible()
    page.goto(live_server.url + "/me/notifications/")
    expect(page.get_by_text(re.compile("已回覆您對「.*電話問安.*」的更正申請：已更正"))).to_be_visible()
