"""The unit applies for a record book in the browser; the authority issues it. Every page passes axe-core."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

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
    page.get_by_role("button", name="搜尋").click()
    assert_accessible(page)
    page.get_by_role("link", name="替 測試熊 申請紀錄冊").click()
    assert page.get_by_text("符合所選申請類別的資格").is_visible()
    assert page.get_by_label("初次").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="送出申請").click()
    assert page.get_by_text("已送出 測試熊 的紀錄冊初次申請").is_visible()
    assert_accessible(page)

    page = signed_in_page(authority_clerk)
    page.goto(live_server.url + "/backoffice/record-books/")
    assert_accessible(page)
    page.get_by_role("link", name="審核 測試熊 的申請").click()
    page.get_by_role("button", name="發給紀錄冊並產生冊號").click()
    book = RecordBook.objects.get(volunteer=volunteer)
    assert page.get_by_text(f"冊號 {book.number}").first.is_visible()
    page.goto(live_server.url + "/backoffice/record-books/issued/")
    assert page.get_by_role("rowheader", name=book.number).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"註銷紀錄冊 {book.number}").click()
    assert_accessible(page)
