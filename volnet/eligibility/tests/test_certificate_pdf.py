"""The 績效證明書 printed: signed, with its code and QR code; the public page shows what it certified, and
that it is cancelled once the unit cancels it (whichever print someone holds)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from volnet.documents import signing
from volnet.documents.models import Document
from volnet.documents.tests.pdfs import qr_urls
from volnet.eligibility.certificates import CertificateError, cancel_certificate, issue_certificate
from volnet.eligibility.tests.test_certificates import TODAY, build, eligible  # noqa: F401
from volnet.recordbook.tests.pdftools import Pdf

pytestmark = pytest.mark.django_db


def _verdict(html):
    return re.search(r'<h1 id="verdict"[^>]*>(.*?)</h1>', html, re.S).group(1).strip()


@pytest.fixture
def certificate(eligible, unit_a, supervisor_a):  # noqa: F811
    return issue_certificate(supervisor_a, unit_a, eligible, TODAY)


def test_the_unit_prints_a_signed_certificate_that_anyone_can_verify(client, supervisor_a, certificate, tmp_path,
                                                                     settings):
    settings.SITE_URL = "http://testserver"
    client.force_login(supervisor_a)
    response = client.get(reverse("backoffice:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    document = Document.objects.get(kind=Document.Kind.CERTIFICATE)
    text = "".join(Pdf(data).text.split())
    assert "志願服務績效證明書" in text and certificate.number in text and document.display_code in text
    assert "E12233****" in text and "E122333441" not in text
    status = signing.verify(data)
    assert status.intact and status.valid and status.trusted
    url = qr_urls(data, tmp_path)[0]
    assert url == f"http://testserver/verify/{document.display_code}/"
    html = Client().get(url).content.decode()
    assert _verdict(html) == "有效" and certificate.number in html and "162.5 小時" in html
    assert "E122333441" not in html


def test_a_cancelled_certificate_shows_cancelled_on_every_print_and_is_not_printed_again(certificate,
                                                                                         supervisor_a):
    from volnet.eligibility.certificates import issue_pdf

    issue_pdf(certificate)
    issue_pdf(certificate)
    older, newer = Document.objects.order_by("issued_at", "id")
    assert Document.objects.get(pk=older.pk).status == Document.Status.SUPERSEDED
    cancel_certificate(certificate, supervisor_a, "時數登錄錯誤", on=TODAY)
    for document in (older, newer):
        html = Client().get(reverse("documents:verify", args=[document.display_code])).content.decode()
        assert _verdict(html) == "已註銷" and "時數登錄錯誤" in html
    certificate.refresh_from_db()
    with pytest.raises(CertificateError):
        issue_pdf(certificate)
