"""Which service hours and trainings count: one rule (ServiceRecord.COUNTS, TrainingRecord.COUNTS) and
every place that adds them up (我的檔案, the record book, eligibility, the record-book application)."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from volnet.eligibility import engine
from volnet.recordbook import queries as book_queries
from volnet.recordbook.tests.html import read
from volnet.records import books, queries
from volnet.records.models import Consent, ServiceRecord, TrainingRecord

pytestmark = pytest.mark.django_db
D = dt.date
STATUSES = ServiceRecord.Status.values
NOTES = ["", "紀錄冊借用他人"]
CONSENTS = Consent.values


def _every_kind_of_record(service_record):
    """One record for every status × misuse note × consent, 1 hour each on its own day."""
    records = []
    days = itertools.count(1)
    for status, note, consent in itertools.product(STATUSES, NOTES, CONSENTS):
        records.append(service_record(hours="1", start=D(2025, 3, next(days)), status=status, misuse_note=note,
                                      consent=consent))
    return records


def test_only_an_approved_unannotated_record_the_volunteer_stands_behind_counts(service_record):
    records = _every_kind_of_record(service_record)
    counting = set(ServiceRecord.objects.counting())
    assert [(r.status, r.misuse_note, r.consent) for r in counting] == [(ServiceRecord.Status.APPROVED, "", "")]
    for record in records:  # the detail page's answer is the list's answer, record by record
        assert record.counts_toward_hours == (record in counting)


def test_every_total_adds_up_the_same_records(service_record, volunteer):
    _every_kind_of_record(service_record)
    service_record(hours="2.5", start=D(2025, 4, 1))
    expected = Decimal("3.5")  # the counting one of the product, and this one
    assert queries.hours_summary(volunteer, today=D(2025, 12, 31)).total_hours == expected
    section = book_queries.tab("service").section(volunteer, book_queries.Filters())
    assert (section.count, section.total_value) == (2, "3.5")
    facts = engine.gather([volunteer.pk], until=D(2025, 12, 31))[volunteer.pk]
    assert facts.hours_between(D(2025, 1, 1), D(2025, 12, 31)) == expected


def test_the_home_page_and_the_record_book_show_the_same_total(client, service_record, volunteer):
    service_record(hours="4", start=D(2025, 3, 1))
    service_record(hours="6", start=D(2025, 3, 2), consent=Consent.AWAITING)
    service_record(hours="8", start=D(2025, 3, 3), misuse_note="冒用")
    client.force_login(volunteer)
    home = client.get(reverse("portal:home")).content.decode()
    total_on_home = re.search(r'class="figure__value">([0-9.]+) <small>', home).group(1)
    book = read(client.get(reverse("recordbook:query")))
    assert total_on_home == "4"
    assert book.foot == [["服務時數合計（全部 1 筆）", "4", ""]]


def test_units_and_items_offered_by_the_record_book_come_from_records_that_count(
        service_record, volunteer, unit_b):
    service_record(item="環保服務", unit=unit_b, consent=Consent.DECLINED)
    service_record(item="綜合服務")
    assert book_queries.item_choices(volunteer) == ["綜合服務"]
    assert unit_b.pk not in dict(book_queries.unit_choices(volunteer))


def test_the_fingerprint_follows_consent_too(service_record, volunteer):
    record = service_record(consent=Consent.AWAITING)
    before = queries.services_fingerprint(volunteer)
    ServiceRecord.objects.filter(pk=record.pk).update(consent=Consent.GIVEN)  # no updated_at
    assert queries.services_fingerprint(volunteer) != before


def _training(volunteer, unit, kind=TrainingRecord.Kind.BASIC, **extra):
    return TrainingRecord.objects.create(volunteer=volunteer, unit=unit, kind=kind, course="基礎訓練",
                                         organiser="某訓練單位", start_date=D(2024, 5, 5), minutes=720, **extra)


def test_a_training_counts_once_the_volunteer_stands_behind_the_unit(volunteer, unit_a, unit_b):
    counted = _training(volunteer, unit_a)
    waiting = _training(volunteer, unit_b, consent=Consent.AWAITING)
    refused = _training(volunteer, unit_b, consent=Consent.DECLINED)
    assert list(TrainingRecord.objects.counting()) == [counted]
    assert (counted.consented, waiting.consented, refused.consented) == (True, False, False)
    assert queries.training_totals(volunteer) == (3, 1, 720)
    assert book_queries.tab("training").section(volunteer, book_queries.Filters()).count == 1
    assert engine.gather([volunteer.pk], until=D(2025, 1, 1))[volunteer.pk].basic == [(D(2024, 5, 5), 720)]


def test_a_first_record_book_needs_a_basic_training_that_counts(volunteer, unit_a, unit_b):
    """Changed: the application used to accept a basic training another unit entered while its request
    waited for the volunteer (one that counts nowhere else)."""
    _training(volunteer, unit_b, consent=Consent.AWAITING)
    _training(volunteer, unit_a, kind=TrainingRecord.Kind.SPECIAL, category="social_welfare")
    check = books.eligibility(volunteer, books.Kind.FIRST, "social_welfare")
    assert not check.ok and any("基礎訓練" in reason for reason in check.reasons)
    _training(volunteer, unit_a)
    assert books.eligibility(volunteer, books.Kind.FIRST, "social_welfare").ok
