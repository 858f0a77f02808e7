"""The unit applies for a record book in the browser; the authority issues it. Every page passes axe-core."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.records.models import RecordBook, TrainingRecord

pytestmark = pytest.mark.browser


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_unit_applies_and_the_authority_issues(live_server, signed_in_page, volunteer, unit_a, supervisor_a,
                                                 authority_clerk):
    for kind, category in [(TrainingRecord.Kind.BASIC, ""), (TrainingRecord.Kind.SPECIAL, "social_welfare")]:
        TrainingRecord.objects.create(volunteer=volunteer, unit=unit_a, kind=kind, category=category, course="訓練",
                                      organiser="社會局", start_date=dt.date(2024, 3, 1), minutes=360)
    page = signed_in_page(supervisor_a)
    page.goto(live_server.url + "/backoffice/record-books/apply/")
    page.get_by_label("志工姓名或身分證號").fill("測試熊")
    with page.expect_navigation():
        page.get_by_role("button", name="搜尋").click()
    expect(page.get_by_role("link", name="替 測試熊 申請紀錄冊")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="替 測試熊 申請紀錄冊").click()
    expect(page.get_by_text("符合所選申請類別的資格")).to_be_visible()
    expect(page.get_by_label("初次")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_text("已送出 測試熊 的紀錄冊初次申請")).to_be_visible()
    assert_accessible(page)

    page = signed_in_page(authority_clerk)
    page.goto(live_server.url + "/backoffice/record-books/")
    assert_accessible(page)
    page.get_by_role("link", name="審核 測試熊 的申請").click()
    page.get_by_role("button", name="發給紀錄冊並產生冊號").click()
    expect(page.get_by_text(re.compile(r"冊號 \S+")).first).to_be_visible()
    book = RecordBook.objects.get(volunteer=volunteer)
    expect(page.get_by_text(f"冊號 {book.number}").first).to_be_visible()
    page.goto(live_server.url + "/backoffice/record-books/issued/")
    expect(page.get_by_role("rowheader", name=book.number)).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"註銷紀錄冊 {book.number}").click()
    assert_accessible(page)
