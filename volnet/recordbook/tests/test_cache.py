"""The record book's PDF cache: its key changes with anything printed in the book, so a change is never stale."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache

from volnet.documents.models import Document
from volnet.recordbook import cache
from volnet.recordbook.queries import Filters
from volnet.recordbook.tests.pdftools import Pdf
from volnet.records import services
from volnet.records.models import Award, RecordBook, TrainingRecord
from volnet.units.models import Membership

TODAY = dt.date(2026, 3, 20)
ALL = Filters()


@pytest.fixture
def slow_books_only(settings):
    settings.RECORDBOOK_PDF_CACHE_AFTER = 3600  # no book here takes an hour: none is kept


@pytest.fixture
def every_book(settings):
    settings.RECORDBOOK_PDF_CACHE_AFTER = 0


def test_the_key_stays_while_nothing_printed_changes(volunteer, service_record):
    service_record()
    assert cache.key(volunteer, ALL, TODAY) == cache.key(volunteer, ALL, TODAY)


def _changes(volunteer, unit_a, authority, supervisor_a, record):
    """Each a change of something printed in the book."""
    yield lambda: services.update_service(record, actor=supervisor_a, content="關懷訪視")
    yield lambda: services.add_training(actor=supervisor_a, unit=unit_a, volunteer=volunteer, kind="basic",
                                        course="基礎訓練", organiser="推廣中心", start_date=dt.date(2025, 5, 1),
                                        minutes=720)
    yield lambda: services.update_training(TrainingRecord.objects.get(), actor=supervisor_a, course="基礎訓練課程")
    yield lambda: Award.objects.create(volunteer=volunteer, unit=unit_a, registrant=supervisor_a, kind="other",
                                       name="績優志工", awarded_on=dt.date(2025, 6, 1), granted_by="臺中市政府")
    yield lambda: RecordBook.objects.create(volunteer=volunteer, number="TC110-000123", authority=authority,
                                            issued_on=dt.date(2021, 11, 1), category="social_welfare")
    yield lambda: RecordBook.objects.update(number="TC110-000124")
    yield lambda: type(authority).objects.filter(pk=authority.pk).update(name="臺中市政府社會處")
    yield lambda: type(unit_a).objects.filter(pk=unit_a.pk).update(name="樂樂志工隊（新名）")
    yield lambda: Membership.objects.filter(volunteer=volunteer).update(status="ended", left_on=TODAY)
    yield lambda: type(volunteer).objects.filter(pk=volunteer.pk).update(name="測試熊熊")


def test_the_key_changes_with_every_kind_of_change_to_the_book(volunteer, unit_a, authority, supervisor_a,
                                                               service_record):
    record = service_record()
    seen = {cache.key(volunteer, ALL, TODAY)}
    for change in _changes(volunteer, unit_a, authority, supervisor_a, record):
        change()
        volunteer.refresh_from_db()
        seen.add(cache.key(volunteer, ALL, TODAY))
    assert len(seen) == 11


def test_the_key_belongs_to_one_person_one_day_and_one_set_of_filters(volunteer, other_volunteer):
    keys = {cache.key(volunteer, ALL, TODAY), cache.key(other_volunteer, ALL, TODAY),
            cache.key(volunteer, ALL, TODAY + dt.timedelta(days=1)),
            cache.key(volunteer, Filters(item="老人服務"), TODAY)}
    assert len(keys) == 4


def test_a_slow_book_is_kept_and_served_from_the_cache(volunteer, service_record, every_book):
    service_record()
    data, name = cache.book_pdf(volunteer, ALL, TODAY)
    document = Document.objects.get()
    assert django_cache.get(cache.key(volunteer, ALL, TODAY)) == (data, document.pk)
    django_cache.set(cache.key(volunteer, ALL, TODAY), (b"%PDF-kept", document.pk), 60)
    assert cache.book_pdf(volunteer, ALL, TODAY) == (b"%PDF-kept", name)
    assert Document.objects.count() == 1  # the same print again, not a new one


def test_a_kept_print_that_no_longer_stands_is_issued_afresh(volunteer, service_record, every_book):
    service_record()
    cache.book_pdf(volunteer, ALL, TODAY)
    kept = Document.objects.get()
    Document.objects.filter(pk=kept.pk).update(status=Document.Status.REVOKED)
    data, _ = cache.book_pdf(volunteer, ALL, TODAY)
    fresh = Document.objects.exclude(pk=kept.pk).get()
    assert fresh.is_valid and fresh.display_code in Pdf(data).text


def test_a_changed_record_is_drawn_afresh_not_taken_from_the_cache(volunteer, supervisor_a, service_record,
                                                                   every_book):
    record = service_record(content="電話問安")
    before, _ = cache.book_pdf(volunteer, ALL, TODAY)
    services.update_service(record, actor=supervisor_a, content="關懷訪視", hours=Decimal("4"))
    after, _ = cache.book_pdf(volunteer, ALL, TODAY)
    assert after != before
    rows = [row for row in Pdf(after).page_rows[1] if row[0].isdigit()]
    assert [row[2] for row in rows] == ["關懷訪視"]


def test_a_quick_book_is_never_kept(volunteer, service_record, slow_books_only):
    service_record()
    data, _ = cache.book_pdf(volunteer, ALL, TODAY)
    assert data.startswith(b"%PDF") and django_cache.get(cache.key(volunteer, ALL, TODAY)) is None
