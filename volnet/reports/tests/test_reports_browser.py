"""On a 360 px phone in Chromium: a unit files its results report, the clerk returns it, the unit files it
again, the clerk accepts it; axe finds nothing on any page of the way."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from volnet.reports.models import ResultsReport
from volnet.tests.a11y import PHONE, assert_accessible, assert_fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page, what):
    assert_accessible(page, what)
    assert_fits_the_width(page, what=what)


def test_a_unit_files_the_clerk_returns_then_accepts(signed_in_page, live_server, supervisor_a, authority_clerk,
                                                     unit_a, service_record):
    service_record(hours="3.5", start=dt.date(2025, 3, 1), item="老人服務")
    page = signed_in_page(supervisor_a)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/backoffice/reports/?unit={unit_a.pk}")
    _checked(page, "the unit's reports")
    page.get_by_role("link", name="提報 114 年度成果報告").click()
    expect(page.get_by_role("rowheader", name="老人服務")).to_be_visible()
    _checked(page, "the report with its figures")
    page.get_by_label("說明").fill("十二月的時數尚未登錄。")
    page.get_by_role("button", name="確認數字並提報").click()
    expect(page.get_by_text("已提報 114 年度的成果報告")).to_be_visible()

    page = signed_in_page(authority_clerk)
    page.goto(f"{live_server.url}/backoffice/reports/review/?year=114")
    _checked(page, "the review list")
    page.get_by_role("link", name=f"{unit_a.label} 的成果報告：待審核").click()
    expect(page.get_by_text("十二月的時數尚未登錄。")).to_be_visible()
    page.get_by_role("button", name="退回補正").click()
    expect(page.locator("main .form-errors")).to_contain_text("退回時請寫明原因")
    _checked(page, "the review with an error")
    page.get_by_label("退回原因").fill("請補登十二月的時數再提報。")
    page.get_by_role("button", name="退回補正").click()
    expect(page.get_by_text(f"已退回 {unit_a.label} 的成果報告")).to_be_visible()
    assert ResultsReport.objects.get(unit=unit_a).status == "returned"

    service_record(hours="6", start=dt.date(2025, 12, 10), item="老人服務")
    page = signed_in_page(supervisor_a)
    page.goto(f"{live_server.url}/backoffice/reports/results/?year=114&unit={unit_a.pk}")
    expect(page.get_by_text("退回原因：請補登十二月的時數再提報。")).to_be_visible()
    expect(page.get_by_role("cell", name="9.5")).to_be_visible()
    _checked(page, "the returned report")
    page.get_by_role("button", name="確認數字並提報").click()
    expect(page.get_by_text("已提報 114 年度的成果報告")).to_be_visible()

    page = signed_in_page(authority_clerk)
    page.goto(f"{live_server.url}/backoffice/reports/review/?year=114")
    page.get_by_role("link", name=f"{unit_a.label} 的成果報告：待審核").click()
    expect(page.get_by_text("第 2 次")).to_be_visible()
    page.get_by_role("button", name="審核通過").click()
    expect(page.get_by_text(f"已審核通過 {unit_a.label} 的成果報告")).to_be_visible()
    _checked(page, "the review list after acceptance")
    report = ResultsReport.objects.get(unit=unit_a)
    assert (report.status, report.times_filed, report.figures["hours"]) == ("accepted", 2, "9.5")
