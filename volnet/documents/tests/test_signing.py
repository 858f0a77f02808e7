"""Every issued PDF is signed (PAdES): pyHanko's validation accepts it and catches a one-byte change."""

import os
import stat

import pytest
from django.core.management import call_command

from volnet.documents import signing
from volnet.documents.tests.pdfs import download_book

pytestmark = pytest.mark.django_db


def test_the_record_book_is_signed_and_validates(bear_client):
    data = download_book(bear_client)
    status = signing.verify(data)
    assert status is not None
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signer_reported_dt is not None


def test_a_one_byte_change_is_caught(bear_client):
    data = bytearray(download_book(bear_client))
    # a byte of the book itself, inside the signed range (the cover's drawing, well before the signature)
    position = data.index(b"stream") + 40
    data[position] = (data[position] + 1) % 256
    status = signing.verify(bytes(data))
    assert status is not None and not status.intact and not status.bottom_line


def test_a_certificate_other_than_ours_is_not_trusted(bear_client, tmp_path):
    data = download_book(bear_client)
    stranger = signing.ensure_demo_certificate(tmp_path / "stranger")
    status = signing.verify(data, trusted_pem=(stranger / "cert.pem").read_bytes())
    assert status.intact and not status.trusted


def test_the_demo_certificate_is_made_once_and_owner_only(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("signing_certificate")
    folder = signing.demo_dir()
    key = folder / "key.pem"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder.parent).st_mode) == 0o700
    made = key.read_bytes()
    call_command("signing_certificate")
    assert key.read_bytes() == made


def test_production_signs_with_the_certificate_its_settings_name(bear_client, settings, tmp_path):
    own = signing.ensure_demo_certificate(tmp_path / "ours")
    settings.DOCUMENT_SIGNING_CERT, settings.DOCUMENT_SIGNING_KEY = str(own / "cert.pem"), str(own / "key.pem")
    data = download_book(bear_client)
    assert signing.verify(data, trusted_pem=(own / "cert.pem").read_bytes()).trusted
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "missing.pem")
    with pytest.raises(signing.SigningUnavailable):
        signing.sign(data)
