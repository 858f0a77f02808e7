"""Every issued PDF is signed (PAdES): pyHanko's validation accepts it and catches a one-byte change."""

import io
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


def _rsa_chain(folder):
    """A CA and an RSA leaf it issued, as production might name them (key, certificate, chain)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def cert(subject, issuer, public, signer, ca):
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public)
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .sign(signer, hashes.SHA256()))

    ca_key, leaf_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "VolNet test CA")])
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "臺中市政府社會局 文件簽章")])
    ca = cert(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    leaf = cert(leaf_name, ca_name, leaf_key.public_key(), ca_key, False)
    pem = serialization.Encoding.PEM
    paths = {name: folder / f"{name}.pem" for name in ("key", "cert", "ca")}
    paths["key"].write_bytes(leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    paths["cert"].write_bytes(leaf.public_bytes(pem))
    paths["ca"].write_bytes(ca.public_bytes(pem))
    return paths


def test_the_prepared_container_is_the_one_pyhanko_builds(settings, tmp_path):
    """The signer keeps the container's fixed parts encoded once per process (speed): with an RSA certificate
    and its chain the signature still validates against the CA, and the container holds what pyHanko's own
    signer puts in it (the same certificates and signed attributes, the same algorithms)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from reportlab.pdfgen import canvas

    paths = _rsa_chain(tmp_path)
    settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_CERT = str(paths["key"]), str(paths["cert"])
    settings.DOCUMENT_SIGNING_CHAIN = [str(paths["ca"])]
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 72, "VolNet")
    page.save()
    ours = signing.sign(buffer.getvalue())
    status = signing.verify(ours, trusted_pem=paths["ca"].read_bytes())
    assert status.intact and status.valid and status.trusted

    plain = signers.SimpleSigner.load(str(paths["key"]), str(paths["cert"]), ca_chain_files=[str(paths["ca"])])
    meta = signers.PdfSignatureMetadata(field_name=signing.FIELD_NAME, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    theirs = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue())), meta, signer=plain).getvalue()

    def container(data):
        signed = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].signed_data
        info = signed["signer_infos"][0]
        attributes = {attr["type"].native: attr["values"].dump() for attr in info["signed_attrs"]
                      if attr["type"].native != "message_digest"}
        return (sorted(cert.chosen.dump() for cert in signed["certificates"]), attributes,
                info["sid"].dump(), info["digest_algorithm"].dump(), info["signature_algorithm"].dump(),
                signed["version"].native, signed["encap_content_info"].dump())

    assert container(ours) == container(theirs)
