"""The venue check page: public, one verdict, consumes a code only when a person looks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from volnet.honorcard import services
from volnet.honorcard.models import CardCheck, CardToken, HonorCard
from volnet.honorcard.tests.qr import verdict

SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile Safari/604.1"
LINE_IN_APP = SAFARI + " Line/14.3.0"
PREVIEWERS = [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "facebookexternalhit/1.1;line-poker/1.0",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "Line",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
]


def url(raw):
    return reverse("honorcard:check", args=[raw])


@pytest.fixture
def live(card):
    raw, token = services.issue_token(card)
    return raw, token


def unused(token):
    token.refresh_from_db()
    return token.used_at is None


def test_a_valid_check_shows_masked_name_photo_number_and_validity(client, live, card, volunteer, build, media):
    build.photo(real=True)
    raw, token = live
    response = client.get(url(raw), HTTP_USER_AGENT=SAFARI, REMOTE_ADDR="203.0.113.5")
    html = response.content.decode()
    assert response.status_code == 200
    assert verdict(html) == "有效"
    assert "測○熊" in html and "測試熊" not in html
    assert volunteer.national_id not in html and volunteer.national_id[:6] not in html
    assert card.number in html and "臺中市政府社會局" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    check = CardCheck.objects.get()
    assert (check.verdict, check.ip_address, check.user_agent) == ("valid", "203.0.113.5", SAFARI)
    photo = response.context["photo_url"]
    picture = client.get(photo)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert b"".join(picture.streaming_content)[:2] == b"\xff\xd8"


def test_behind_a_trusted_proxy_the_check_records_the_venues_address(client, live, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    raw, _ = live
    client.get(url(raw), HTTP_USER_AGENT=SAFARI, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert CardCheck.objects.get().ip_address == "203.0.113.5"


def test_a_second_look_says_already_used(client, live):
    raw, _ = live
    client.get(url(raw))
    html = client.get(url(raw)).content.decode()
    assert verdict(html) == "已使用"
    assert "測○熊" not in html


def test_an_expired_code_says_so(client, card):
    raw, token = services.issue_token(card, now=timezone.now() - dt.timedelta(minutes=5, seconds=1))
    assert verdict(client.get(url(raw)).content.decode()) == "已逾時"
    assert unused(token)


def test_an_invalid_card_says_so(client, card, live):
    raw, token = live
    HonorCard.objects.filter(pk=card.pk).update(status=HonorCard.Status.REVOKED)
    assert verdict(client.get(url(raw)).content.decode()) == "卡片已失效"
    assert unused(token)


def test_an_unknown_code_says_so(client, db):
    assert verdict(client.get(url("Zm9vYmFyYmF6cXV4cXV1eA")).content.decode()) == "查無此條碼"
    assert client.get("/honor-card/c/has%20space").status_code == 200


def test_a_head_request_consumes_nothing(client, live):
    raw, token = live
    response = client.head(url(raw))
    assert response.status_code == 200
    assert unused(token)
    assert not CardCheck.objects.exists()


@pytest.mark.parametrize("agent", PREVIEWERS)
def test_link_previewers_get_a_neutral_page_and_consume_nothing(client, live, agent):
    raw, token = live
    html = client.get(url(raw), HTTP_USER_AGENT=agent).content.decode()
    assert "驗證此榮譽卡" in html
    assert "測○熊" not in html and "有效期間" not in html
    assert unused(token)
    assert not CardCheck.objects.exists()


def test_a_prefetch_consumes_nothing(client, live):
    raw, token = live
    client.get(url(raw), HTTP_SEC_PURPOSE="prefetch;prerender", HTTP_USER_AGENT=SAFARI)
    assert unused(token)


def test_lines_in_app_browser_is_a_person(client, live):
    raw, token = live
    assert verdict(client.get(url(raw), HTTP_USER_AGENT=LINE_IN_APP).content.decode()) == "有效"
    assert not unused(token)


def test_the_neutral_page_can_still_check_by_pressing_its_button(client, live):
    raw, token = live
    client.get(url(raw), HTTP_USER_AGENT="Line")
    response = client.post(url(raw), HTTP_USER_AGENT="Line")
    assert verdict(response.content.decode()) == "有效"
    assert not unused(token)


def test_the_photo_link_works_only_for_a_valid_check(client, live, build, media):
    build.photo(real=True)
    raw, _ = live
    client.get(url(raw))
    used = client.get(url(raw))
    assert "photo_url" not in used.context
    from django.core import signing

    forged = reverse("honorcard:check_photo", args=[signing.dumps(CardCheck.objects.get(verdict="used").pk,
                                                                  salt="honorcard.check-photo")])
    assert client.get(forged).status_code == 404
    assert client.get(reverse("honorcard:check_photo", args=["nonsense"])).status_code == 404


def test_the_check_page_never_shows_the_token_state_of_another_card(client, live, other_volunteer, build):
    other_card = build.card(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2099, 1, 1), number="X-1",
                            volunteer=other_volunteer)
    raw, _ = live
    assert "X-1" not in client.get(url(raw)).content.decode()
    assert other_card.tokens.count() == 0
    assert CardToken.objects.count() == 1
