"""A record book as issued: its code and QR code lead to the public page, which shows what it certified and
whether it still stands; every print is recorded and a newer one supersedes the older."""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from volnet.documents import services
from volnet.documents.models import Document
from volnet.documents.tests.pdfs import download_book, qr_urls
from volnet.recordbook.tests.pdftools import Pdf

pytestmark = pytest.mark.django_db


def _page_text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _verdict(html):
    return re.search(r'<h1 id="verdict"[^>]*>(.*?)</h1>', html, re.S).group(1).strip()


def test_the_cover_carries_the_code_and_a_qr_code_to_the_public_page(bear_client, bear, tmp_path):
    data = download_book(bear_client)
    document = Document.objects.get(person=bear)
    pdf = Pdf(data)
    assert f"驗證碼：{document.display_code}" in pdf.pages[0]
    assert all(document.display_code in page for page in pdf.pages)  # every page's foot
    assert qr_urls(data, tmp_path) == [services.verify_url(document.code)]


def test_the_public_page_shows_what_the_book_certified_masked_without_signing_in(bear_client, bear, tmp_path):
    data = download_book(bear_client)
    url = qr_urls(data, tmp_path)[0]
    page = Client().get(url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    text = _page_text(html)
    assert _verdict(html) == "有效"
    assert "測○熊" in text and "E12233****" in text
    assert bear.national_id not in html and bear.name not in html  # never the full ID or name
    assert "臺中市政府" in text  # 發給單位, as on the cover
    assert "服務筆數 16" in text and re.search(r"服務時數合計 \d", text)
    assert hashlib.sha256(data).hexdigest() in html  # the file's fingerprint is the downloaded file's


def test_a_newer_print_supersedes_the_older_one(bear_client, bear):
    download_book(bear_client)
    download_book(bear_client)
    older, newer = Document.objects.filter(person=bear).order_by("issued_at", "id")
    assert older.code != newer.code
    anyone = Client()
    assert _verdict(anyone.get(reverse("documents:verify", args=[older.display_code])).content.decode()) \
        == "已由較新的列印取代"
    assert _verdict(anyone.get(reverse("documents:verify", args=[newer.display_code])).content.decode()) == "有效"


def test_a_book_printed_for_one_unit_leaves_the_whole_book_standing(bear_client, bear, demo):
    from volnet.units.models import Unit

    download_book(bear_client)
    whole = Document.objects.get(person=bear)
    unit = Unit.objects.get(code="2-299")
    download_book(bear_client, unit=unit.pk)
    whole.refresh_from_db()
    part = Document.objects.exclude(pk=whole.pk).get(person=bear)
    assert whole.is_valid and part.is_valid and unit.name in part.scope


def test_a_withdrawn_document_says_so_and_why(bear_client, bear, demo):
    download_book(bear_client)
    document = Document.objects.get(person=bear)
    services.revoke(document, actor=None, reason="資料登錄錯誤，已重新核發")
    html = Client().get(reverse("documents:verify", args=[document.display_code])).content.decode()
    assert _verdict(html) == "已撤銷" and "資料登錄錯誤，已重新核發" in html
    with pytest.raises(services.DocumentError):
        services.cancel(document, actor=None, reason="再撤一次")
    with pytest.raises(services.DocumentError) as refused:
        services.revoke(Document(pk=document.pk), actor=None, reason="  ")
    assert refused.value.field == "reason"


def test_every_print_is_recorded_with_an_audit_entry(bear_client, bear):
    from volnet.audit.models import AuditEntry

    download_book(bear_client)
    download_book(bear_client)
    assert Document.objects.filter(person=bear).count() == 2
    entries = AuditEntry.objects.filter(action="document.issue", volunteer=bear)
    assert entries.count() == 2 and all(entry.actor_id == bear.pk for entry in entries)


def test_a_code_typed_in_any_way_finds_its_document(bear_client, bear):
    download_book(bear_client)
    document = Document.objects.get(person=bear)
    typed = document.display_code.lower().replace("-", " ")
    response = Client().get(reverse("documents:lookup"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("documents:verify",
                                                                            args=[document.display_code])
    assert Client().get(reverse("documents:verify", args=[document.code])).status_code == 200
