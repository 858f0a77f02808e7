import datetime as dt
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from volnet.lib import rocdate
from volnet.recordbook.tests.pdftools import Pdf
from volnet.records.models import RecordBook, ServiceRecord

URL = reverse("recordbook:pdf")


def body(response):
    return b"".join(response.streaming_content)


def test_strangers_are_asked_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_downloads_the_volunteers_book_as_a_pdf_named_by_the_roc_date(bear_client):
    response = bear_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    name = f"志願服務紀錄冊-{today.year - 1911}-{today:%m}-{today:%d}.pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="record-book-{today.year - 1911}-{today:%m}-{today:%d}.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    document = Pdf(data)
    assert "姓名：測試熊" in document.flat(1)
    assert f"列印日期：{rocdate.format(today)}" in document.flat(2)
    assert len([row for row in document.page_rows[1] if row[0].isdigit()]) == 16


def test_the_pdf_follows_the_filters_in_the_url(bear_client):
    document = Pdf(body(bear_client.get(URL, {"item": "老人服務"})))
    services = [row for row in document.page_rows[1] if row[0].isdigit()]
    assert [row[2] for row in services] == ["電話問安", "資料整理"]
    assert "查詢條件：服務項目：老人服務" in document.flat(2)


def test_bad_filters_go_back_to_the_query_page_with_the_message(bear_client):
    response = bear_client.get(URL, {"start": "115/03/30", "end": "115/03/01"})
    assert response.status_code == 302
    assert unquote(response["Location"]) == reverse("recordbook:query") + "?start=115/03/30&end=115/03/01"
    page = bear_client.get(response["Location"]).content.decode()
    assert "早於開始日期" in page


@pytest.fixture
def bear_with_book(volunteer, authority, service_record):
    """The conftest volunteer (測試熊) with a record book and one service record."""
    RecordBook.objects.create(volunteer=volunteer, number="TC110-000123", authority=authority,
                              issued_on=dt.date(2021, 11, 1), category="social_welfare")
    service_record(content="測試熊的服務")
    return volunteer


def test_each_volunteer_gets_only_their_own_book(client, bear_with_book, other_volunteer):
    client.force_login(other_volunteer)
    document = Pdf(body(client.get(URL, {"volunteer": bear_with_book.id, "id": bear_with_book.id})))
    assert "姓名：陳大同" in document.flat(1)
    assert "尚未領有紀錄冊" in document.flat(1)
    assert "測試熊" not in document.text and "TC110-000123" not in document.text
    assert [row for row in document.page_rows[1] if row[0].isdigit()] == []


@pytest.fixture
def cache_every_pdf(settings):
    settings.RECORDBOOK_PDF_CACHE_AFTER = 0  # cache even a short book


def test_a_cached_book_is_never_stale_after_a_record_changes(bear_client, bear, cache_every_pdf):
    first = body(bear_client.get(URL))
    assert body(bear_client.get(URL)) == first  # served from the cache
    record = ServiceRecord.objects.filter(volunteer=bear, content="藝文服務", hours=3).get()
    record.content = "藝文導覽服務"
    record.save()
    document = Pdf(body(bear_client.get(URL)))
    assert "藝文導覽服務" in [row[2] for row in document.page_rows[1]]


def test_a_cached_book_is_not_served_to_anyone_else(client, bear_with_book, other_volunteer, cache_every_pdf):
    client.force_login(bear_with_book)
    assert "TC110-000123" in Pdf(body(client.get(URL))).flat(1)
    client.force_login(other_volunteer)
    cover = Pdf(body(client.get(URL))).flat(1)
    assert "姓名：陳大同" in cover and "TC110-000123" not in cover


def test_a_book_of_another_day_is_not_reused(bear_client, cache_every_pdf, settings, monkeypatch):
    body(bear_client.get(URL))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    response = bear_client.get(URL)
    assert rocdate.format(tomorrow) in Pdf(body(response)).flat(2)


def test_a_missing_font_sends_the_volunteer_back_with_a_message_not_an_error(bear_client, settings, monkeypatch):
    from volnet.documents import fonts

    monkeypatch.setattr(fonts, "MAIN", "NotInstalledFont")
    settings.RECORDBOOK_FONT = "/nonexistent/uming.ttc"
    response = bear_client.get(URL, {"item": "老人服務"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("recordbook:query"))
    assert "紀錄冊 PDF 暫時無法產生" in response.content.decode()
