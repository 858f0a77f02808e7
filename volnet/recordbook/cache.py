"""The record book's PDF as issued (a verification code and QR code, signed, recorded in
`volnet.documents`), kept a while when it was slow to draw.

Measured on the 2-core machine (bench/bench_recordbook.py): 500 rows take about 0.2 s of CPU, 5,000 rows
about 1.7 s of CPU and 130 MB at peak, so a long book occupies one gunicorn worker for a few seconds while
the others keep serving; no background queue is needed. What we guard against is doing that work twice:
a book that took longer than RECORDBOOK_PDF_CACHE_AFTER (0.5 s) is kept in the cache (Redis in
production) for RECORDBOOK_PDF_CACHE_SECONDS (5 min), and a second click on 下載 while the first render
runs waits for it instead of rendering again. Small books are never cached, so they are always current.

The key is a fingerprint of everything printed in the book (`fingerprint`): the holder's name, ID and
photo, their records, their record book, their units with their names and authorities, the filters and
the day. Whatever of those changes, the key changes, so a changed book is drawn afresh at once and the
old entry is never read again (it expires on its own).

Issuing: every download is a print recorded in `volnet.documents` under its own code, and supersedes the
older prints with the same filters. A download answered from the cache is the same print again (same file,
same code), as long as that print is still valid; otherwise the book is drawn and issued afresh.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from volnet.documents import codes, signing
from volnet.documents import services as documents
from volnet.documents.models import Document
from volnet.recordbook import book as books
from volnet.recordbook import pdf
from volnet.records import queries as record_queries
from volnet.records.models import Award, RecordBook, TrainingRecord
from volnet.units.models import Membership

KEY_PREFIX = "recordbook:pdf:"
LOCK_SECONDS = 120  # a render that has not finished by then is taken over by the next request
WAIT_SECONDS = 60  # how long a second request waits for the render that is running


def fingerprint(user, filters, today):
    """Changes whenever anything printed in the book changes (a few aggregate queries, no row read)."""
    trainings = TrainingRecord.objects.filter(volunteer=user).aggregate(n=Count("id"), at=Max("updated_at"))
    awards = Award.objects.filter(volunteer=user).aggregate(n=Count("id"), at=Max("updated_at"))
    book_rows = RecordBook.objects.filter(volunteer=user).values_list("id", "status", "number", "authority__name")
    units = Membership.objects.filter(volunteer=user).values_list(
        "unit_id", "status", "unit__code", "unit__name", "unit__authority__name"
    )
    parts = [
        user.pk, user.name, user.national_id, user.photo.name if user.photo else "", today.isoformat(),
        filters, record_queries.services_fingerprint(user), trainings, awards, sorted(book_rows), sorted(units),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def key(user, filters, today):
    return KEY_PREFIX + fingerprint(user, filters, today)


def issue(user, filters, today=None, request=None):
    """Draw, sign and record one print of the user's book: (PDF bytes, its Document)."""
    code = documents.new_code()
    verification = books.Verification(codes.display(code), documents.verify_url(code), documents.lookup_url())
    book = books.assemble(user, filters, today, verification=verification)
    data = signing.sign(pdf.render(book).getvalue(), reason="志願服務紀錄冊")  # zh-only: the form's name
    document = documents.record(
        Document.Kind.RECORD_BOOK, user, code=code, data=data, issuer=book.holder.authority,
        issued_on=book.printed_on, totals=book.totals, scope=book.filter_text, request=request,
    )
    return data, document


def _still_issued(cached):
    """The cached print's bytes, if that print is still valid (not superseded or withdrawn since)."""
    if not isinstance(cached, tuple) or len(cached) != 2:
        return None
    data, document_id = cached
    return data if Document.objects.filter(pk=document_id, status=Document.Status.VALID).exists() else None


def book_pdf(user, filters, today=None, request=None):
    """(PDF bytes, file name) of the user's book as it is now: a print from the cache, or issued now."""
    today = today or timezone.localdate()
    entry = key(user, filters, today)
    lock = f"{entry}:lock"
    cached = _still_issued(cache.get(entry))
    if cached is None and not cache.add(lock, 1, timeout=LOCK_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while cached is None and cache.get(lock) and time.monotonic() < deadline:
            time.sleep(0.2)
            cached = _still_issued(cache.get(entry))
    if cached is not None:
        return cached, books.pdf_filename(today)
    try:
        started = time.monotonic()
        data, document = issue(user, filters, today, request)
        if time.monotonic() - started > settings.RECORDBOOK_PDF_CACHE_AFTER:
            cache.set(entry, (data, document.pk), settings.RECORDBOOK_PDF_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return data, books.pdf_filename(today)
