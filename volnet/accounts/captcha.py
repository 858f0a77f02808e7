"""The captcha of every public form: a 4-digit code shown as an image and spoken in Mandarin.

A challenge lives in the visitor's session under a random key, one key per rendered form, so two
open tabs do not disturb each other. Checking an answer always consumes the key (one attempt per
code), and a code expires after CAPTCHA_LIFETIME seconds. Consuming is one atomic step in the
database (`SpentCaptcha`, keyed by the challenge key): requests that arrive together with one
session and one solved code each read the code from their copy of the session, but only the one
that records the key first may pass, whether the session lives in the database or in Redis and
however many processes serve them. The audio is mixed at run time from the
committed digit recordings in `captcha_voice/` (see the make_captcha_voice command).

settings.TEST_CAPTCHA (automated tests only, refused outside DEBUG) makes every captcha accept
"PASSED" as well as its real code.
"""

import datetime as dt
import os
import secrets
import time
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "volnet_captcha"
LENGTH = 4
MAX_OPEN = 10
VOICE_DIR = Path(__file__).resolve().parent / "captcha_voice"
TEST_ANSWER = "PASSED"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def lifetime():
    return getattr(settings, "CAPTCHA_LIFETIME", 5 * 60)


def _store(request):
    return request.session.get(SESSION_KEY) or {}


def _save(request, store):
    request.session[SESSION_KEY] = store
    request.session.modified = True


def new_challenge(request, replaces=None):
    """Create a code for one form; returns its key. `replaces` (an older key) is dropped."""
    now = time.time()
    store = {key: value for key, value in _store(request).items() if value[1] > now and key != replaces}
    # Keep the newest few (several tabs), forget the rest.
    if len(store) >= MAX_OPEN:
        store = dict(sorted(store.items(), key=lambda item: item[1][1])[-(MAX_OPEN - 1) :])
    key = secrets.token_urlsafe(12)
    code = "".join(secrets.choice("0123456789") for _ in range(LENGTH))
    store[key] = [code, now + lifetime()]
    _save(request, store)
    return key


def code_for(request, key):
    """The code of a live challenge (for the image and the audio), or None. Does not consume it."""
    entry = _store(request).get(key or "")
    if not entry or entry[1] <= time.time():
        return None
    return entry[0]


def normalize_answer(answer):
    return "".join(str(answer or "").translate(_FULLWIDTH_DIGITS).split()).upper()


def _spend(key, expires):
    """Record that the code of `key` has been checked. True for the one caller that recorded it first:
    the insert of the primary key is the atomic step, for simultaneous requests in any process."""
    from volnet.accounts.models import SpentCaptcha

    now = timezone.now()
    try:
        with transaction.atomic():
            SpentCaptcha.objects.create(key=key, expires_at=dt.datetime.fromtimestamp(expires, dt.UTC))
    except IntegrityError:
        return False
    # Expired codes are refused before this point, so their records are no longer needed.
    SpentCaptcha.objects.filter(expires_at__lt=now).delete()
    return True


def check(request, key, answer):
    """True when `answer` matches the code of `key`. The key is consumed whatever the outcome, and a
    code passes at most once even when several requests bring it at the same moment."""
    store = _store(request)
    entry = store.pop(key or "", None) if isinstance(key, str) else None
    if entry is not None:
        _save(request, store)
    live = entry is not None and entry[1] > time.time() and _spend(key, entry[1])
    answer = normalize_answer(answer)
    if not answer or len(answer) > 20:
        return False
    if getattr(settings, "TEST_CAPTCHA", False) and answer == TEST_ANSWER:
        return True
    return live and secrets.compare_digest(entry[0], answer)


@lru_cache(maxsize=1)
def _image_maker():
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=160, height=60, font_sizes=(44, 48, 52))


@lru_cache(maxsize=1)
def _audio_maker():
    from captcha.audio import AudioCaptcha

    class MandarinDigits(AudioCaptcha):
        """The library's mixer with a light hiss instead of babble made of reversed digits: older
        listeners must still understand it, and it costs a tenth of the time."""

        def create_background_noise(self, length, chars):
            return bytearray(125 + byte % 6 for byte in os.urandom(length))

    maker = MandarinDigits(voicedir=str(VOICE_DIR))
    maker.load()
    return maker


def render_png(code):
    image = _image_maker().generate_image(code)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def render_wav(code):
    return bytes(_audio_maker().generate(code))


def urls(key):
    return {
        "key": key,
        "image": reverse("accounts:captcha_image", args=[key]),
        "audio": reverse("accounts:captcha_audio", args=[key]),
    }


class CaptchaWidget(forms.Widget):
    """The image, 換一張, 使用語音播放驗證碼 and the answer box. Each render issues a fresh code."""

    template_name = "accounts/widgets/captcha.html"

    def __init__(self, attrs=None):
        base = {"autocomplete": "off", "inputmode": "numeric", "maxlength": "8", "autocapitalize": "off",
                "spellcheck": "false"}
        super().__init__({**base, **(attrs or {})})
        self.request = None

    def value_from_datadict(self, data, files, name):
        return (str(data.get(f"{name}_key", ""))[:64], str(data.get(name, ""))[:64])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, "", attrs)
        key = new_challenge(self.request)
        context["captcha"] = urls(key)
        context["captcha"]["refresh"] = self.request.get_full_path() if self.request else ""
        return context


class CaptchaField(forms.Field):
    widget = CaptchaWidget
    default_error_messages = {
        "required": _("請輸入驗證碼。"),
        "invalid": _("驗證碼錯誤或已逾時，請輸入新顯示的驗證碼。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("驗證碼"))
        kwargs.setdefault("help_text", _("請輸入上方圖片裡文字"))
        super().__init__(**kwargs)
        self.request = None

    def clean(self, value):
        key, answer = value if isinstance(value, tuple | list) and len(value) == 2 else ("", "")
        if not normalize_answer(answer):
            # The code was shown once; a new one comes with the re-rendered form.
            check(self.request, key, "")
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if not check(self.request, key, answer):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return True


class CaptchaFormMixin:
    """Adds the `captcha` field (last) to a form; the form takes `request=` as a keyword."""

    captcha_error = False

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        field = CaptchaField()
        field.request = request
        field.widget.request = request
        self.fields["captcha"] = field

    @property
    def captcha_failed(self):
        return "captcha" in self.errors
