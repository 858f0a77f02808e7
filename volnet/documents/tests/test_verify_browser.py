"""In Chromium: a volunteer downloads the record book; anyone scans its QR code and sees it valid; a newer
print makes the older one show as superseded; axe at 360 px on the public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from volnet.documents import signing
from volnet.documents.tests.pdfs import qr_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def accessible(page, what):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"


def _download(page, live_server):
    page.goto(live_server.url + "/me/record-book/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下載紀錄冊（PDF）").click()
    return open(info.value.path(), "rb").read()


def _more_hours(bear):
    import datetime as dt
    from decimal import Decimal

    from volnet.records.models import ServiceRecord

    last = ServiceRecord.objects.filter(volunteer=bear).latest("id")
    ServiceRecord.objects.create(volunteer=bear, unit=last.unit, registrant=last.registrant, service_item="綜合服務",
                                 content="電話問安", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 5),
                                 hours=Decimal("3"))


def test_a_downloaded_book_is_checked_on_the_public_page_then_superseded(signed_in_page, bear, live_server,
                                                                          browser, settings, tmp_path):
    settings.SITE_URL = live_server.url
    page = signed_in_page(bear)
    first = _download(page, live_server)
    status = signing.verify(first)
    assert status.intact and status.valid  # the downloaded file is signed
    first_url = qr_urls(first, tmp_path)[0]
    assert first_url.startswith(live_server.url + "/verify/")

    # a school, not signed in, on a phone
    school = browser.new_context(viewport=PHONE).new_page()
    school.goto(first_url)
    expect(school.get_by_role("heading", level=1, name="有效")).to_be_visible()
    expect(school.get_by_text("測○熊")).to_be_visible()
    expect(school.get_by_text("E12233****")).to_be_visible()
    assert bear.national_id not in school.content()
    accessible(school, "verification page, valid")

    # the unit enters more hours; the volunteer prints the book again
    _more_hours(bear)
    second = _download(page, live_server)
    second_url = qr_urls(second, tmp_path)[0]
    assert second_url != first_url
    school.goto(first_url)
    expect(school.get_by_role("heading", level=1, name="已由較新的列印取代")).to_be_visible()
    accessible(school, "verification page, superseded")
    school.goto(second_url)
    expect(school.get_by_role("heading", level=1, name="有效")).to_be_visible()

    # typing the code by hand, in lower case
    code = second_url.rstrip("/").rsplit("/", 1)[-1]
    school.goto(live_server.url + "/verify/")
    accessible(school, "verification form")
    school.get_by_label("驗證碼").fill(code.lower())
    school.get_by_role("button", name="驗證").click()
    expect(school.get_by_role("heading", level=1, name="有效")).to_be_visible()
    school.context.close()
