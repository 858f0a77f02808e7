"""PAdES signatures on every PDF the system issues (pyHanko), so a PDF reader shows the file unchanged since
issue, and `verify` tells a changed byte.

The certificate: production names its own in settings (`DOCUMENT_SIGNING_CERT`, `DOCUMENT_SIGNING_KEY`, PEM
files, the key's password in `DOCUMENT_SIGNING_KEY_PASSWORD`, a chain in `DOCUMENT_SIGNING_CHAIN`;
`check --deploy` refuses production without them). Without them the site signs with a demo certificate
that it makes once into `var/signing/demo/` (owner-only): `manage.py signing_certificate`, run by `make
run`, makes it up front, and the first signature makes it when nothing else did (a fresh clone's tests).

Speed: the container's size is reserved from the certificates' sizes instead of pyHanko's trial signature,
and the signer is loaded once per process; an ECDSA P-256 demo key signs in well under a millisecond.
"""

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

DEMO_DIR_NAME = "demo"
FIELD_NAME = "VolNet"
DEMO_NAME = "志願服務資訊網 示範文件簽章（非正式）"  # zh-only: a certificate's name, shown by PDF readers as it is


class SigningUnavailable(Exception):
    """The configured certificate or key cannot be read."""


def demo_dir():
    return Path(settings.VAR_DIR) / "signing" / DEMO_DIR_NAME


def _paths():
    if settings.DOCUMENT_SIGNING_CERT and settings.DOCUMENT_SIGNING_KEY:
        return (Path(settings.DOCUMENT_SIGNING_KEY), Path(settings.DOCUMENT_SIGNING_CERT),
                tuple(Path(p) for p in settings.DOCUMENT_SIGNING_CHAIN))
    folder = ensure_demo_certificate()
    return folder / "key.pem", folder / "cert.pem", ()


def ensure_demo_certificate(folder=None):
    """Make the demo key and self-signed certificate once (owner-only); returns their folder. Processes
    starting together each make one in a private folder and rename it into place: the first wins."""
    folder = Path(folder or demo_dir())
    if (folder / "cert.pem").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(folder.parent, 0o700)
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))  # 0700
    key_pem, cert_pem = _demo_pair()
    for name, data in (("key.pem", key_pem), ("cert.pem", cert_pem)):
        fd = os.open(scratch / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    try:
        os.rename(scratch, folder)
    except OSError:  # another process was first
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def _demo_pair():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "VolNet demo"),
        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_NAME),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=4)
def _signer(key_path, cert_path, chain, password, _stamp):
    from pyhanko.sign import signers

    loaded = signers.SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=[str(p) for p in chain] or None,
                                       key_passphrase=password.encode() if password else None)
    if loaded is None:
        raise SigningUnavailable(f"cannot load {cert_path} / {key_path}")
    signer = _prepared_signer_class()(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                                      cert_registry=loaded.cert_registry,
                                      signature_mechanism=loaded.signature_mechanism)
    signer.prepare()
    certificates = [signer.signing_cert, *signer.cert_registry]
    reserved = 4096 + 2 * sum(len(cert.dump()) for cert in certificates)
    return signer, reserved + reserved % 2


@functools.cache
def _prepared_signer_class():
    """pyHanko's SimpleSigner with the parts of the CMS container that never change between two signatures
    (the signer's identifier, its algorithms, the certificates, the signing-certificate-v2 attribute) built
    and DER-encoded once per process, then read back lazily for each signature.

    Why: profiling `make bench BENCH_ARGS=recordbook` showed 20–37 ms of CPU per signature, about 10 % of the
    500-row book, nearly all in asn1crypto rebuilding these values from their parts (copying and re-tagging
    the certificate into the container, hashing and re-encoding it for the signing-certificate attribute)
    every time; the same values loaded from their bytes are encoded by copying those bytes. The container
    is the one pyHanko builds (PAdES B-B, `SimpleSigner.signer_info` and `_package_signature` as in pyHanko
    0.38), so a PDF reader and `verify` see the same signature."""
    from asn1crypto import algos, cms
    from pyhanko.sign import signers
    from pyhanko.sign.attributes import CMSAttributeProvider
    from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
    from pyhanko.sign.signers.pdf_cms import SignedAttributeProviderSpec

    class KeptAttribute(CMSAttributeProvider):
        def __init__(self, der):
            self.der = der

        async def get_attribute(self, dry_run=False):
            return cms.CMSAttribute.load(self.der)

    class KeptAttributes(SignedAttributeProviderSpec):
        def __init__(self, ders):
            self.ders = ders

        def signed_attr_providers(self, data_digest, digest_algorithm):
            return [KeptAttribute(der) for der in self.ders]

    class PreparedSigner(signers.SimpleSigner):
        def prepare(self, digest_algorithm="sha256"):
            self._digest_algorithm = digest_algorithm
            self._kept = {
                "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
                    {"issuer": self.signing_cert.issuer, "serial_number": self.signing_cert.serial_number})}).dump(),
                "digest": algos.DigestAlgorithm({"algorithm": digest_algorithm}).dump(),
                "mechanism": self.get_signature_mechanism_for_digest(digest_algorithm).dump(),
                "certificates": [cms.CertificateChoices(name="certificate", value=cert).dump()
                                 for cert in self._certificates()],
                "attributes": [simple_cms_attribute("signing_certificate_v2",
                                                    as_signing_certificate_v2(self.signing_cert)).dump()],
            }

        def _certificates(self):
            chain = [cert for cert in self.cert_registry or () if self.embed_roots or cert.self_signed == "no"]
            return [self.signing_cert, *(cert for cert in chain if cert.dump() != self.signing_cert.dump())]

        def _signed_attr_provider_spec(self, attr_settings, timestamper=None, use_cades=False, is_pdf_sig=True):
            if timestamper is not None or not use_cades or attr_settings.cades_signed_attrs is not None:
                return super()._signed_attr_provider_spec(attr_settings, timestamper, use_cades, is_pdf_sig)
            return KeptAttributes(self._kept["attributes"])

        def signer_info(self, digest_algorithm, signed_attrs, signature):
            if digest_algorithm != self._digest_algorithm:
                return super().signer_info(digest_algorithm, signed_attrs, signature)
            return cms.SignerInfo({
                "version": "v1", "sid": cms.SignerIdentifier.load(self._kept["sid"]),
                "digest_algorithm": algos.DigestAlgorithm.load(self._kept["digest"]),
                "signature_algorithm": algos.SignedDigestAlgorithm.load(self._kept["mechanism"]),
                "signed_attrs": signed_attrs, "signature": signature,
            })

        def _package_signature(self, *, digest_algorithm, cms_version, signed_attrs, signature, unsigned_attrs,
                               encap_content_info):
            if digest_algorithm != self._digest_algorithm or self.attribute_certs:
                return super()._package_signature(
                    digest_algorithm=digest_algorithm, cms_version=cms_version, signed_attrs=signed_attrs,
                    signature=signature, unsigned_attrs=unsigned_attrs, encap_content_info=encap_content_info)
            info = self.signer_info(digest_algorithm, signed_attrs, signature)
            if unsigned_attrs is not None:
                info["unsigned_attrs"] = unsigned_attrs
            return cms.ContentInfo({"content_type": cms.ContentType("signed_data"), "content": cms.SignedData({
                "version": cms_version,
                "digest_algorithms": cms.DigestAlgorithms((algos.DigestAlgorithm.load(self._kept["digest"]),)),
                "encap_content_info": encap_content_info or {"content_type": "data"},
                "certificates": [cms.CertificateChoices.load(der) for der in self._kept["certificates"]],
                "signer_infos": [info],
            })})

    return PreparedSigner


def signer():
    """(pyHanko signer, bytes to reserve), loaded once per process and again when a file changes."""
    key_path, cert_path, chain = _paths()
    try:
        stamp = tuple(path.stat().st_mtime_ns for path in (key_path, cert_path, *chain))
    except OSError as error:
        raise SigningUnavailable(str(error)) from error
    return _signer(key_path, cert_path, chain, settings.DOCUMENT_SIGNING_KEY_PASSWORD, stamp)


def certificate_pem():
    """The signing certificate (what a verifier trusts)."""
    return _paths()[1].read_bytes()


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's plain functions run their own event loop: in a thread that already runs one (an async
    server, a browser-driving test) they run in a helper thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign(data, reason="", location=""):
    return _outside_event_loop(_sign, data, reason, location)


def verify(data, trusted_pem=None):
    return _outside_event_loop(_verify, data, trusted_pem)


def _sign(data, reason="", location=""):
    """The PDF `data` signed (PAdES B-B, SHA-256): an incremental update, the original bytes unchanged."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    pdf_signer, reserved = signer()
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason or None, location=location or None)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    return signers.sign_pdf(writer, meta, signer=pdf_signer, bytes_reserved=reserved).getvalue()


def _verify(data, trusted_pem=None):
    """pyHanko's validation of the file's signature against our certificate (or `trusted_pem`): a status
    with `intact` (the signed bytes unchanged), `valid` (the signature matches) and `trusted`; None when
    the file has no signature or cannot be read."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = list(load_certs_from_pemder_data(trusted_pem or certificate_pem()))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if not reader.embedded_signatures:
            return None
        return validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=roots))
    except (PdfReadError, ValueError, KeyError):
        return None
