"""績效證明書 asked for and issued, in the browser on a 360 px phone: the volunteer asks in 我的檔案, the unit's
承辦人, 志工督導 and 負責人 each approve on the review desk, the volunteer downloads the PDF, whose text holds the
name and the hours and whose code the public page verifies. Every page passes axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import make_person
from volnet.backoffice.tests.test_certificates_browser import assert_accessible
from volnet.documents.models import Document
from volnet.eligibility.tests.builders import Builder
from volnet.recordbook.tests.pdftools import Pdf
from volnet.units.models import StaffRole

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_asked_approved_three_times_downloaded_and_verified_on_a_phone(live_server, signed_in_page, volunteer,
                                                                        unit_a, supervisor_a, authority, settings):
    settings.SITE_URL = live_server.url
    build = Builder(volunteer, unit_a, supervisor_a, authority)
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 160)
    clerk = make_person("A123456789", "承辦小王")
    StaffRole.objects.create(user=clerk, role=StaffRole.Role.CLERK, unit=unit_a)
    head = make_person("A223456781", "負責人陳")
    StaffRole.objects.create(user=head, role=StaffRole.Role.HEAD, unit=unit_a)

    page = signed_in_page(volunteer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/me/honors/")
    with page.expect_navigation():
        page.get_by_role("link", name="申請績效證明書").click()
    page.get_by_label("臺中市樂樂發展協會-樂樂志工隊(測試用)").check()
    page.get_by_label("升學").check()
    with page.expect_navigation():
        page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_role("status")).to_contain_text("已向 2-299臺中市樂樂發展協會-樂樂志工隊(測試用) 申請績效證明書")
    expect(page.get_by_text("待承辦人審核")).to_be_visible()
    _fits(page)
    assert_accessible(page)

    steps = ((clerk, "同意，送下一關", "已同意，申請轉至下一關：待督導審核"),
             (supervisor_a, "同意，送下一關", "已同意，申請轉至下一關：待負責人核定"),
             (head, "核定並核發證明書", "已核定並核發績效證明書"))
    for person, button, said in steps:
        desk = signed_in_page(person)
        desk.goto(live_server.url + "/backoffice/certificates/requests/")
        expect(desk.get_by_text("剩 7 天")).to_be_visible()
        _fits(desk)
        assert_accessible(desk)
        with desk.expect_navigation():
            desk.get_by_role("link", name="測試熊 的申請").click()
        assert_accessible(desk)
        with desk.expect_navigation():
            desk.get_by_role("button", name=button).click()
        expect(desk.get_by_role("status")).to_contain_text(said)

    page = signed_in_page(volunteer)
    page.goto(live_server.url + "/me/certificates/")
    expect(page.get_by_text("已核發")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下載績效證明書")).click()
    data = open(download.value.path(), "rb").read()
    flat = Pdf(data).flat()
    assert "測試熊" in flat and "160小時" in flat and "E12233****" in flat
    code = Document.objects.get(kind=Document.Kind.CERTIFICATE).display_code
    assert code in flat

    page.goto(live_server.url + f"/verify/{code}/")
    expect(page.locator("#verdict")).to_have_text("有效")
    expect(page.get_by_text("160 小時").first).to_be_visible()
    _fits(page)
    assert_accessible(page)
