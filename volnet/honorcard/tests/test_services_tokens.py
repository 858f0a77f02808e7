"""QR tokens and the venue check: single use, 5 minutes, voided by a refresh, nothing personal inside."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import all_at_once
from volnet.honorcard import services
from volnet.honorcard.models import CardCheck, CardToken, HonorCard

Verdict = CardCheck.Verdict
NOW = timezone.now()


def test_only_the_hash_of_a_token_is_stored_and_it_carries_nothing_personal(card, volunteer):
    raw, token = services.issue_token(card, now=NOW)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(value) for value in CardToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert raw not in stored
    for personal in (volunteer.national_id, volunteer.name, card.number, volunteer.birth_date.isoformat()):
        assert personal not in raw
    assert len(raw) >= 22  # at least 128 random bits


def test_a_token_is_good_for_one_successful_check(card):
    raw, token = services.issue_token(card, now=NOW)
    first = services.check_token(raw, now=NOW + dt.timedelta(seconds=10), ip="203.0.113.9", user_agent="Safari")
    second = services.check_token(raw, now=NOW + dt.timedelta(seconds=20))
    assert (first.verdict, second.verdict) == (Verdict.VALID, Verdict.USED)
    assert first.card == card
    token.refresh_from_db()
    assert token.used_at == NOW + dt.timedelta(seconds=10)
    logged = list(CardCheck.objects.order_by("at").values_list("verdict", "ip_address", "user_agent", "card_id"))
    assert logged == [(Verdict.VALID, "203.0.113.9", "Safari", card.pk), (Verdict.USED, None, "", card.pk)]


def test_a_token_lasts_five_minutes_and_not_a_second_more(card):
    raw, _ = services.issue_token(card, now=NOW)
    assert services.check_token(raw, now=NOW + dt.timedelta(minutes=5)).verdict == Verdict.EXPIRED
    raw, _ = services.issue_token(card, now=NOW)
    last_second = NOW + dt.timedelta(minutes=5) - dt.timedelta(seconds=1)
    assert services.check_token(raw, now=last_second).verdict == Verdict.VALID


def test_a_refresh_voids_the_previous_token(card):
    old, _ = services.issue_token(card, now=NOW)
    new, _ = services.issue_token(card, now=NOW + dt.timedelta(seconds=30))
    assert services.check_token(old, now=NOW + dt.timedelta(seconds=40)).verdict == Verdict.VOIDED
    assert services.check_token(new, now=NOW + dt.timedelta(seconds=40)).verdict == Verdict.VALID


def test_void_tokens_leaves_used_tokens_alone(card):
    raw, token = services.issue_token(card, now=NOW)
    services.check_token(raw, now=NOW)
    assert services.void_tokens(card, now=NOW) == 0
    token.refresh_from_db()
    assert token.voided_at is None


@pytest.mark.parametrize(
    "change",
    [
        {"status": HonorCard.Status.REVOKED},
        {"valid_to": timezone.localdate() - dt.timedelta(days=1)},
        {"valid_from": timezone.localdate() + dt.timedelta(days=1)},
    ],
)
def test_a_revoked_or_expired_card_fails_and_its_token_stays_unused(card, change):
    raw, token = services.issue_token(card)
    HonorCard.objects.filter(pk=card.pk).update(**change)
    assert services.check_token(raw).verdict == Verdict.CARD_INVALID
    token.refresh_from_db()
    assert token.used_at is None


def test_a_deactivated_account_fails_the_check(card, volunteer):
    raw, _ = services.issue_token(card)
    volunteer.is_active = False
    volunteer.save()
    assert services.check_token(raw).verdict == Verdict.CARD_INVALID


def test_an_unknown_or_malformed_token_is_logged_without_a_card(db):
    assert services.check_token("A" * 24).verdict == Verdict.UNKNOWN
    with CaptureQueriesContext(connection) as queries:
        assert services.check_token("<script>").verdict == Verdict.UNKNOWN
    # No lookup for something that cannot be a token, only the log entry.
    assert not [q for q in queries.captured_queries if "honorcard_cardtoken" in q["sql"]]
    assert CardCheck.objects.filter(card=None, verdict=Verdict.UNKNOWN).count() == 2


def test_current_card_is_the_one_valid_today(build, volunteer):
    today = dt.date(2025, 1, 15)
    build.card(valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2023, 1, 1), number="old")
    new = build.card(valid_from=dt.date(2024, 5, 1), valid_to=dt.date(2027, 5, 1), number="new")
    build.card(valid_from=dt.date(2024, 6, 1), valid_to=dt.date(2027, 6, 1), number="gone",
               status=HonorCard.Status.REVOKED)
    assert HonorCard.objects.current_for(volunteer, today) == new
    assert HonorCard.objects.current_for(volunteer, dt.date(2027, 5, 2)) is None


@pytest.mark.django_db(transaction=True)
def test_among_concurrent_checks_of_one_token_exactly_one_is_valid(card):
    """Real concurrency (conftest.all_at_once)."""
    raw, token = services.issue_token(card)
    threads = 8
    verdicts = all_at_once(lambda: services.check_token(raw, ip="198.51.100.7").verdict, threads)
    assert sorted(verdicts).count(Verdict.VALID) == 1
    assert verdicts.count(Verdict.USED) == threads - 1
    assert CardCheck.objects.filter(token=token).count() == threads
    token.refresh_from_db()
    assert token.used_at is not None
