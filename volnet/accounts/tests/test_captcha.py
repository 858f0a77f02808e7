import datetime as dt
import io
import wave

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image

from volnet.accounts import captcha
from volnet.accounts.models import SpentCaptcha

from .helpers import captcha_key, real_code, text


@pytest.fixture
def request_with_session(db):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_a_challenge_is_four_digits(request_with_session):
    key = captcha.new_challenge(request_with_session)
    code = captcha.code_for(request_with_session, key)
    assert len(code) == 4 and code.isdigit()


def test_the_right_answer_passes_once_only(request_with_session):
    key = captcha.new_challenge(request_with_session)
    code = captcha.code_for(request_with_session, key)
    assert captcha.check(request_with_session, key, code)
    assert not captcha.check(request_with_session, key, code)


def test_a_wrong_answer_uses_up_the_code(request_with_session):
    key = captcha.new_challenge(request_with_session)
    code = captcha.code_for(request_with_session, key)
    wrong = "0000" if code != "0000" else "1111"
    assert not captcha.check(request_with_session, key, wrong)
    assert not captcha.check(request_with_session, key, code)


def test_a_spent_code_is_remembered_only_until_it_would_have_expired(request_with_session):
    first = captcha.new_challenge(request_with_session)
    assert captcha.check(request_with_session, first, captcha.code_for(request_with_session, first))
    spent = SpentCaptcha.objects.get(key=first)
    assert spent.expires_at > timezone.now() + dt.timedelta(minutes=4)
    SpentCaptcha.objects.filter(key=first).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    second = captcha.new_challenge(request_with_session)
    assert captcha.check(request_with_session, second, captcha.code_for(request_with_session, second))
    assert list(SpentCaptcha.objects.values_list("key", flat=True)) == [second]


def test_it_accepts_full_width_digits_and_spaces(request_with_session):
    key = captcha.new_challenge(request_with_session)
    code = captcha.code_for(request_with_session, key)
    typed = " ".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert captcha.check(request_with_session, key, typed)


def test_a_code_expires(request_with_session, clock):
    key = captcha.new_challenge(request_with_session)
    code = captcha.code_for(request_with_session, key)
    clock.shift(dt.timedelta(seconds=captcha.lifetime() - 1))
    assert captcha.code_for(request_with_session, key) == code  # the last second
    clock.shift(dt.timedelta(seconds=1))
    assert captcha.code_for(request_with_session, key) is None
    assert not captcha.check(request_with_session, key, code)


def test_two_open_forms_keep_their_own_codes(request_with_session):
    first = captcha.new_challenge(request_with_session)
    second = captcha.new_challenge(request_with_session)
    first_code = captcha.code_for(request_with_session, first)
    assert captcha.check(request_with_session, second, captcha.code_for(request_with_session, second))
    assert captcha.check(request_with_session, first, first_code)


def test_the_session_keeps_only_a_few_open_codes(request_with_session):
    keys = [captcha.new_challenge(request_with_session) for _ in range(30)]
    assert len(request_with_session.session[captcha.SESSION_KEY]) <= captcha.MAX_OPEN
    assert captcha.code_for(request_with_session, keys[-1])


def test_test_mode_accepts_passed_only_when_switched_on(request_with_session, settings):
    settings.TEST_CAPTCHA = False
    key = captcha.new_challenge(request_with_session)
    assert not captcha.check(request_with_session, key, "PASSED")
    settings.TEST_CAPTCHA = True
    assert captcha.check(request_with_session, "", "passed")


def test_replacing_a_code_drops_the_old_one(request_with_session):
    old = captcha.new_challenge(request_with_session)
    new = captcha.new_challenge(request_with_session, replaces=old)
    assert captcha.code_for(request_with_session, old) is None
    assert captcha.code_for(request_with_session, new)


def test_the_image_is_a_png_of_the_form_size():
    image = Image.open(io.BytesIO(captcha.render_png("0232")))
    assert image.format == "PNG" and image.size == (160, 60)


def test_the_audio_is_a_wav_that_speaks_four_digits():
    data = captcha.render_wav("5218")
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as audio:
        assert audio.getframerate() == 8000 and audio.getnchannels() == 1 and audio.getsampwidth() == 1
        seconds = audio.getnframes() / audio.getframerate()
    # four spoken digits with pauses between them, plus the opening beeps
    assert 3 < seconds < 20


def test_every_digit_has_committed_mandarin_recordings():
    for digit in "0123456789":
        files = sorted((captcha.VOICE_DIR / digit).glob("*.wav"))
        assert len(files) >= 2, digit
        for path in files:
            with wave.open(str(path)) as recording:
                assert recording.getframerate() == 8000 and recording.getsampwidth() == 1
                assert 0.15 < recording.getnframes() / 8000 < 1.5


def test_the_image_and_audio_endpoints_serve_the_code_of_the_form(client, db):
    page = client.get("/accounts/login/")
    key = captcha_key(page)
    image = client.get(f"/accounts/captcha/{key}/image.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]
    audio = client.get(f"/accounts/captcha/{key}/audio.wav")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF"
    # fetching them does not use the code up
    assert real_code(client, key)


def test_an_unknown_or_expired_key_gets_404(client, db):
    assert client.get("/accounts/captcha/nope/image.png").status_code == 404
    assert client.get("/accounts/captcha/nope/audio.wav").status_code == 404


def test_refresh_gives_a_new_code_and_drops_the_old(client, db):
    page = client.get("/accounts/login/")
    old = captcha_key(page)
    data = client.get(f"/accounts/captcha/new/?old={old}").json()
    assert data["key"] != old
    assert data["image"].endswith(f"/{data['key']}/image.png")
    assert client.get(f"/accounts/captcha/{old}/image.png").status_code == 404
    assert client.get(data["audio"]).status_code == 200


def test_the_form_offers_refresh_without_script_and_audio_with_a_label(client, db):
    html = text(client.get("/accounts/login/?next=/me/"))
    assert 'data-captcha-refresh' in html and 'href="/accounts/login/?next=/me/"' in html
    assert "使用語音播放驗證碼" in html
    assert '<audio preload="none"' in html and 'aria-label="語音驗證碼' in html
    assert "請輸入上方圖片裡文字" in html
