"""The whole path on a 360 px phone: the organiser publishes a 基礎訓練, a volunteer enrols, the roll is taken for
each session, the completion issues a 結業證書字號, and the volunteer finds the number and the training record in
教育訓練時數 and in the record book, and downloads a 結業證書 whose code the public page verifies. Every page
passes axe-core and fits the width."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from volnet.courses.models import Enrolment
from volnet.documents.models import Document
from volnet.recordbook.tests.pdftools import Pdf
from volnet.tests.a11y import PHONE, assert_accessible, assert_fits_the_width

pytestmark = pytest.mark.browser


def roc(day):
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def checked(page, what):
    assert_fits_the_width(page, what=what)
    assert_accessible(page, what)


def test_publish_enrol_roll_complete_and_the_record_shows_on_a_phone(live_server, signed_in_page, volunteer, unit_a,
                                                                     supervisor_a, settings):
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    # the organiser publishes, on a phone
    desk = signed_in_page(supervisor_a)
    desk.set_viewport_size(PHONE)
    desk.goto(live_server.url + "/courses/manage/")
    checked(desk, "manage list")
    with desk.expect_navigation():
        desk.get_by_role("link", name="公告基礎訓練").click()
    checked(desk, "new course form")
    desk.locator("#id_organiser").select_option(label="2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")
    desk.get_by_label("課程名稱").fill("樂樂隊基礎訓練")
    desk.get_by_label("上課地點").fill("樂樂會館二樓")
    desk.get_by_label("名額").fill("12")
    desk.get_by_label("報名開始日").fill(roc(today))
    desk.get_by_label("報名截止日").fill(roc(today))
    desk.get_by_label("聯絡人").fill("何小倫")
    for n, (start, end) in enumerate([("08:00", "10:00"), ("10:00", "12:00"), ("13:00", "15:00")]):
        desk.locator(f'[name="s-{n}-date"]').fill(roc(today))
        desk.locator(f'[name="s-{n}-starts_at"]').fill(start)
        desk.locator(f'[name="s-{n}-ends_at"]').fill(end)
    with desk.expect_navigation():
        desk.get_by_role("button", name="公告課程").click()
    expect(desk.get_by_role("status")).to_contain_text("已公告「樂樂隊基礎訓練」")
    checked(desk, "course desk")

    # a volunteer finds it (基礎訓練 first: they have none) and enrols
    page = signed_in_page(volunteer)
    page.goto(live_server.url + "/courses/")
    expect(page.get_by_text("您還沒有完成基礎訓練（6 小時）")).to_be_visible()
    checked(page, "course list")
    with page.expect_navigation():
        page.locator(".courses").get_by_role("link", name="樂樂隊基礎訓練").click()
    with page.expect_navigation():
        page.get_by_role("button", name="我要報名").click()
    expect(page.get_by_role("status")).to_contain_text("已報名「樂樂隊基礎訓練」")
    expect(page.get_by_text("加入行事曆（志願服務內涵及倫理）")).to_be_visible()
    checked(page, "course page, enrolled")

    # the roll of each session, then the completion
    desk = signed_in_page(supervisor_a)
    desk.goto(live_server.url + "/courses/manage/")
    with desk.expect_navigation():
        desk.get_by_role("link", name="樂樂隊基礎訓練").click()
    for subject in ("志願服務內涵及倫理", "志願服務經驗分享", "志願服務法規之認識"):
        with desk.expect_navigation():
            desk.get_by_role("link", name=f"點名：{subject}").click()
        checked(desk, f"roll of {subject}")
        desk.get_by_label(re.compile("測試熊")).check()
        with desk.expect_navigation():
            desk.get_by_role("button", name="儲存點名").click()
        expect(desk.get_by_role("status")).to_contain_text("出席 1 人，缺席 0 人")
    expect(desk.get_by_label("測試熊 結訓")).to_be_checked()
    expect(desk.get_by_label("測試熊 的訓練時數")).to_have_value("6")
    with desk.expect_navigation():
        desk.get_by_role("button", name="結訓並發給結業證書字號").click()
    number = Enrolment.objects.get(volunteer=volunteer).certificate_number
    assert number == f"2-299-結訓-{today.year - 1911}-0001"
    expect(desk.get_by_role("status")).to_contain_text(number)
    checked(desk, "course desk after completion")

    # the volunteer sees the number and the record in 教育訓練時數 and in the record book
    page = signed_in_page(volunteer)
    page.goto(live_server.url + "/me/services/?tab=training")
    row = page.get_by_role("row").filter(has_text="樂樂隊基礎訓練")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("6小時00分鐘")
    expect(row).to_contain_text("2-299臺中市樂樂發展協會-樂樂志工隊(測試用)")
    checked(page, "training tab")
    page.goto(live_server.url + "/me/record-book/?tab=training")
    book_row = page.get_by_role("row").filter(has_text="樂樂隊基礎訓練")
    expect(book_row).to_contain_text(number)
    checked(page, "record book, training")
    page.goto(live_server.url + "/me/courses/")
    checked(page, "my course enrolments")
    with page.expect_download() as download:
        page.get_by_role("link", name="下載結業證書").click()
    flat = Pdf(open(download.value.path(), "rb").read()).flat()
    code = Document.objects.get(kind=Document.Kind.TRAINING).display_code
    assert number in flat and "測試熊" in flat and code in flat
    page.goto(live_server.url + f"/verify/{code}/")
    expect(page.locator("#verdict")).to_have_text("有效")
