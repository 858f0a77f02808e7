"""The volunteer's 電子榮譽卡 page: the card, a QR code that decodes to the venue check, refresh, history."""

import datetime as dt

import pytest
from django.urls import reverse

from volnet.honorcard import services
from volnet.honorcard.models import CardCheck, CardToken, HonorCardApplication
from volnet.honorcard.tests.qr import url_in_page, verdict

CARD = reverse("honorcard:card")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://vol.example.gov.tw"
    return settings.SITE_URL


def test_the_card_page_needs_a_sign_in(client, db):
    response = client.get(CARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_card_shows_name_number_validity_and_a_qr_code_for_the_venue_check(client, volunteer, card, site):
    client.force_login(volunteer)
    response = client.get(CARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "測試熊" in html and card.number in html
    assert f"{card.valid_from.year - 1911:03d}/" in html
    assert "刷新 QRcode" in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    url = url_in_page(html)
    assert url.startswith(site + "/honor-card/c/")
    token = url.rsplit("/", 1)[1]
    assert volunteer.national_id not in url and card.number not in url
    assert CardToken.objects.filter(card=card, token_hash=services.hash_token(token), used_at=None).exists()


def test_the_decoded_qr_code_checks_once(client, volunteer, card, site):
    client.force_login(volunteer)
    url = url_in_page(client.get(CARD).content.decode())
    path = url.removeprefix(site)
    client.logout()
    assert verdict(client.get(path).content.decode()) == "有效"
    assert verdict(client.get(path).content.decode()) == "已使用"


def test_each_visit_shows_a_new_code_and_voids_the_last(client, volunteer, card, site):
    client.force_login(volunteer)
    old = url_in_page(client.get(CARD).content.decode()).removeprefix(site)
    new = url_in_page(client.get(CARD).content.decode()).removeprefix(site)
    assert old != new
    assert verdict(client.get(old).content.decode()) == "已作廢"
    assert verdict(client.get(new).content.decode()) == "有效"


def test_refresh_voids_the_code_on_screen(client, volunteer, card, site):
    client.force_login(volunteer)
    old = url_in_page(client.get(CARD).content.decode()).removeprefix(site)
    response = client.post(reverse("honorcard:refresh"), follow=True)
    assert "已產生新的 QR code" in response.content.decode()
    new = url_in_page(response.content.decode()).removeprefix(site)
    assert verdict(client.get(old).content.decode()) == "已作廢"
    assert verdict(client.get(new).content.decode()) == "有效"


def test_refresh_needs_post(client, volunteer, card):
    client.force_login(volunteer)
    assert client.get(reverse("honorcard:refresh")).status_code == 405


def test_the_card_page_lists_the_checks_of_the_card(client, volunteer, card):
    raw, _ = services.issue_token(card)
    services.check_token(raw)
    services.check_token(raw)
    services.check_token("x" * 24)  # someone else's garbage is not the volunteer's history
    client.force_login(volunteer)
    html = client.get(CARD).content.decode()
    assert html.count('class="chip chip--valid"') == 1
    assert html.count('class="chip chip--used"') == 1
    assert "chip--unknown" not in html


def test_the_token_status_is_for_its_owner_only(client, volunteer, other_volunteer, card):
    _, token = services.issue_token(card)
    url = reverse("honorcard:token_status", args=[token.pk])
    client.force_login(other_volunteer)
    assert client.get(url).status_code == 404
    client.force_login(volunteer)
    data = client.get(url).json()
    assert data["state"] == "live" and 0 < data["remaining"] <= 300
    CardToken.objects.filter(pk=token.pk).update(voided_at=token.created_at)
    assert client.get(url).json() == {"state": "voided", "remaining": 0}


def test_without_a_card_the_volunteer_sees_what_is_missing(client, build, volunteer):
    build.basic(dt.date(2021, 10, 1))
    build.book(dt.date(2021, 10, 1))
    client.force_login(volunteer)
    html = client.get(CARD).content.decode()
    assert "您目前沒有有效的志願服務榮譽卡" in html
    assert "缺特殊訓練（社會福利類）" in html and "缺證件照" in html
    assert "<svg" not in html


def test_an_expired_card_says_so(client, build, volunteer):
    build.card(valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2023, 1, 1), number="TXG-SOC-109-00007")
    client.force_login(volunteer)
    assert "TXG-SOC-109-00007 已於 112/01/01 到期" in client.get(CARD).content.decode()


def test_a_pending_application_is_shown(client, eligible, supervisor_a, unit_a):
    services.apply_for_card(actor=supervisor_a, volunteer=eligible, unit=unit_a)
    client.force_login(eligible)
    html = client.get(CARD).content.decode()
    assert "臺中市政府社會局 審核中" in html
    assert HonorCardApplication.objects.count() == 1


def test_an_eligible_volunteer_is_told_to_ask_the_unit(client, eligible):
    client.force_login(eligible)
    assert "您已符合申請資格" in client.get(CARD).content.decode()


def test_no_one_else_can_see_a_volunteers_card(client, other_volunteer, card):
    client.force_login(other_volunteer)
    html = client.get(CARD).content.decode()
    assert card.number not in html
    assert not CardCheck.objects.exists()
