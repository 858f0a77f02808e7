"""Traditional Chinese by default, English when the visitor chooses it with the footer switch."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from conftest import ideographs
from volnet.lib import hours, rocdate, twid


def choose(client, language, next_url="/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_a_phone_set_to_english_still_gets_the_chinese_site(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hant-TW"' in html
    assert "志工登入" in html
    assert ">English</button>" in html


def test_choosing_english_in_the_footer_turns_the_site_english(client, db):
    response = choose(client, "en", "/")
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.get("/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Volunteer login" in html and "Volunteer Service Network" in html
    assert not ideographs(html), ideographs(html)
    assert 'lang="zh-Hant-TW">切換為中文</button>' in html


def test_switching_back_gives_chinese_again(client, db):
    choose(client, "en")
    choose(client, "zh-hant")
    html = client.get("/").content.decode()
    assert "志工登入" in html and "Volunteer login" not in html


def test_an_unknown_language_in_the_cookie_falls_back_to_chinese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "志工登入" in client.get("/").content.decode()


def test_the_not_found_page_speaks_the_chosen_language(client, db):
    choose(client, "en")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find this page" in response.content.decode()


@pytest.mark.parametrize(("language", "expected"), [("zh-hant", "12小時05分鐘"), ("en", "12 h 05 min")])
def test_training_time_reads_in_the_chosen_language(language, expected):
    with translation.override(language):
        assert hours.format_minutes(725) == expected


def test_bad_dates_hours_and_id_numbers_are_explained_in_english():
    with translation.override("en"):
        with pytest.raises(rocdate.RocDateError, match="ROC year 114, month 2, day 29 does not exist"):
            rocdate.parse("114/02/29")
        with pytest.raises(rocdate.RocDateError, match="end date 115/03/01 is before the start date 115/03/30"):
            rocdate.check_order(dt.date(2026, 3, 30), dt.date(2026, 3, 1))
        with pytest.raises(ValueError, match="at most one decimal place"):
            hours.parse_hours("3.55", places=1, max_digits=6)
        with pytest.raises(twid.IdNumberError, match="check digit does not match"):
            twid.validate("A123456788")
