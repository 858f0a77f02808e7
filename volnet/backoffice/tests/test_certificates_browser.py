"""績效證明書 in the browser: a supervisor enters a paper application from 資格查詢, the unit's three steps
approve it, and the supervisor cancels it, a reason required; the volunteer
finds it, cancelled, on 榮譽紀錄 on a phone. Every page passes axe-core."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.backoffice.tests.test_certificate_views import issue
from volnet.eligibility.tests.builders import Builder
from volnet.records.models import PerformanceCertificate

pytestmark = pytest.mark.browser


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_supervisor_issues_and_cancels_and_the_volunteer_sees_it(live_server, signed_in_page, volunteer, unit_a,
                                                                   supervisor_a, authority):
    build = Builder(volunteer, unit_a, supervisor_a, authority)
    build.ready(dt.date(2021, 10, 3))
    build.hours(dt.date(2022, 3, 1), 160)

    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/backoffice/eligibility/?tab=eligible")
    with page.expect_navigation():
        page.get_by_role("button", name="為 測試熊 登錄紙本績效證明書申請（160 小時）").click()
    expect(page.get_by_text(re.compile(r"已登錄 測試熊 的績效證明書申請"))).to_be_visible()
    assert_accessible(page)
    issue(None, volunteer, unit_a)  # the 承辦人, this 志工督導 and the 負責人 approve it
    number = PerformanceCertificate.objects.get().number

    page.goto(live_server.url + "/backoffice/certificates/")
    expect(page.get_by_role("cell", name=number)).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"註銷績效證明書 {number}").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="確定註銷證明書").click()
    expect(page.get_by_role("alert").or_(page.locator(".errorlist")).first).to_be_visible()  # the reason is required
    assert PerformanceCertificate.objects.get().status == "issued"
    assert_accessible(page)  # the page with its error messages
    page.get_by_label("註銷原因").fill("重複開立")
    with page.expect_navigation():
        page.get_by_role("button", name="確定註銷證明書").click()
    expect(page.get_by_text(f"已註銷績效證明書 {number}。")).to_be_visible()
    assert PerformanceCertificate.objects.get().status == "cancelled"

    phone = signed_in_page(volunteer)
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(live_server.url + "/me/honors/")
    expect(phone.get_by_text(number, exact=True)).to_be_visible()
    expect(phone.get_by_text("已註銷").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone)
