"""The public venue check is throttled per address: a busy venue's real scans always go through, someone
trying made-up codes is stopped after a few, and a stopped check uses up no one's QR code."""

import datetime as dt
import secrets

from django.test import Client
from django.urls import reverse

from volnet.honorcard import services
from volnet.honorcard.models import CardCheck
from volnet.honorcard.tests.qr import verdict

SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile Safari/604.1"
TOO_MANY = "此網路位址嘗試次數過多"


def check(client, raw):
    return client.get(reverse("honorcard:check", args=[raw]), HTTP_USER_AGENT=SAFARI)


def made_up():
    return secrets.token_urlsafe(18)


def test_a_busy_venue_checking_sixty_real_codes_in_a_minute_is_never_stopped(clock, card):
    venue = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(60):
        if n % 20 == 0:  # now and then a scan catches half a code, or a code from another site
            assert verdict(check(venue, made_up()).content.decode()) == "查無此條碼"
        raw, _ = services.issue_token(card)
        response = check(venue, raw)
        assert response.status_code == 200 and verdict(response.content.decode()) == "有效", n
        clock.shift(dt.timedelta(milliseconds=900))
    assert CardCheck.objects.filter(verdict="valid").count() == 60


def test_someone_trying_made_up_codes_is_stopped_and_the_venue_next_door_is_not(clock, card):
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    answers = [check(guesser, made_up()).status_code for _ in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
    # stopped for every code, a real one included, and that code is not used up by the refusal
    raw, token = services.issue_token(card)
    refused = check(guesser, raw)
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    token.refresh_from_db()
    assert token.used_at is None
    assert verdict(check(Client(REMOTE_ADDR="203.0.113.5"), raw).content.decode()) == "有效"
    # a quarter of an hour later the address may try again
    clock.shift(dt.timedelta(minutes=16))
    assert check(guesser, made_up()).status_code == 200


def test_a_flood_of_checks_from_one_address_is_stopped_whatever_the_codes(clock, card):
    raw, _ = services.issue_token(card)
    flooder = Client(REMOTE_ADDR="198.51.100.67")
    answers = [check(flooder, raw).status_code for _ in range(125)]
    assert answers[:120] == [200] * 120 and set(answers[120:]) == {429}
    clock.shift(dt.timedelta(minutes=1))
    assert check(flooder, raw).status_code == 200


def test_a_made_up_forwarded_for_header_does_not_reset_the_count(clock, card):
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    answers = [guesser.get(reverse("honorcard:check", args=[made_up()]), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
               for n in range(11)]
    assert answers[-1] == 429


def test_the_refusal_reads_in_english_too(clock, card):
    from conftest import in_english

    guesser = in_english(Client(REMOTE_ADDR="198.51.100.66"))
    for _ in range(10):
        check(guesser, made_up())
    html = check(guesser, made_up()).content.decode()
    assert "Too many attempts from this network address" in html
