"""The captcha of every public form: a 4-digit code shown as an image and spoken in Mandarin.

A challenge lives in the visitor's session under a random key, one key per rendered form, so two
open tabs do not disturb each other. Checking an answer always consumes the key (one attempt per
code), and a code expires after CAPTCHA_LIFETIME seconds. Consuming is one atomic step in the
database (`SpentCaptcha`, keyed by the challenge key): requests that arrive together with one
session and one solved code each read the code from their copy of the session, but only the one
that records the key first may pass, whether the session lives in the database or in Redis and
however many processes serve them.

The audio is mixed at run time from the committed digit recordings in `captcha_voice/` (see the
make_captcha_voice command), each digit resynthesised with its own pitch, speed and timing, so that
the recordings, which anyone may download, cannot be found in a clip by matching samples.

settings.TEST_CAPTCHA (automated tests only, refused outside DEBUG) makes every captcha accept
"PASSED" as well as its real code.
"""

import cmath
import datetime as dt
import itertools
import math
import operator
import os
import secrets
import time
import wave
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volnet.lib.text import fold_width

SESSION_KEY = "volnet_captcha"
LENGTH = 4
MAX_OPEN = 10
VOICE_DIR = Path(__file__).resolve().parent / "captcha_voice"
TEST_ANSWER = "PASSED"
# The audio clip (8 kHz, 8-bit): how much each digit may vary. Moderate, so that older listeners still
# understand four Mandarin digits.
RATE = 8000
PITCH = 0.10  # pitch ±10%
TEMPO = 0.10  # speed ±10%, independent of the pitch
GRAIN = 192  # samples (24 ms) of each grain of the voice, overlapping by half
GRAIN_JITTER = 16  # samples (2 ms)
SHIFT_HZ = (50, 90)  # every frequency up by this much
HILBERT_TAPS = 127
PEAK = (90, 115)  # the loudest sample of each digit, of 127 (the hiss adds at most 4)
_GRAIN_WINDOW = [0.5 - 0.5 * math.cos(2 * math.pi * i / GRAIN) for i in range(GRAIN)]
LEAD_IN = (0.4, 0.9)  # seconds of hiss before the first digit
PAUSE = (0.55, 1.1)  # seconds between digits
_HISS = bytes(124 + byte % 9 for byte in range(256))  # os.urandom bytes -> 128 ± 4


def lifetime():
    return settings.CAPTCHA_LIFETIME


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
    return "".join(fold_width(answer).split()).upper()


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
    if settings.TEST_CAPTCHA and answer == TEST_ANSWER:
        return True
    return live and secrets.compare_digest(entry[0], answer)


@lru_cache(maxsize=1)
def _image_maker():
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=160, height=60, font_sizes=(44, 48, 52))


def render_png(code):
    image = _image_maker().generate_image(code)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _recordings():
    """The committed recordings, centred on zero: {digit: [samples of each recording]}."""
    voices = {}
    for digit in "0123456789":
        voices[digit] = []
        for path in sorted((VOICE_DIR / digit).glob("*.wav")):
            with wave.open(str(path)) as recording:
                voices[digit].append([byte - 128 for byte in recording.readframes(recording.getnframes())])
    return voices


@lru_cache(maxsize=64)
def _analytic(digit, index):
    """A recording as an analytic signal: each sample a complex number whose imaginary part is the Hilbert
    transform (a windowed FIR of HILBERT_TAPS taps) of the real one. Worked out once per recording and
    process; it lets `_spoken` move every frequency of the voice by the same number of hertz."""
    samples = _recordings()[digit][index]
    half = HILBERT_TAPS // 2
    padded = [0] * half + samples + [0] * half
    quadrature = [0.0] * len(samples)
    for k in range(-half, half + 1):
        if k % 2 == 0:
            continue  # the even taps of a Hilbert transformer are zero
        tap = 2 / (math.pi * k) * (0.54 + 0.46 * math.cos(math.pi * k / (half + 1)))  # Hamming-windowed
        shifted = padded[half - k : half - k + len(samples)]
        quadrature = [q + tap * x for q, x in zip(quadrature, shifted, strict=True)]
    return [complex(x, q) for x, q in zip(samples, quadrature, strict=True)]


def _spoken(digit, rng):
    """One digit as this clip says it, so that no stretch of it matches a committed recording at any speed
    and offset, while it still sounds like the digit:

    - a recording of the digit, at random, at the clip's pitch (±PITCH);
    - cut into overlapping grains of GRAIN samples, each taken from a slightly shifted place (±GRAIN_JITTER)
      and laid out at the clip's own speed (±TEMPO), independent of the pitch: no single speed of the
      recording lines up with more than a grain or so of the clip;
    - every frequency then moved up by SHIFT_HZ (as a slightly mistuned radio does): the harmonics of the
      voice are no longer multiples of one pitch, so no speed of the recording lines them all up."""
    voice = _analytic(digit, rng.randrange(len(_recordings()[digit])))
    pitch, tempo = rng.uniform(1 - PITCH, 1 + PITCH), rng.uniform(1 - TEMPO, 1 + TEMPO)
    # at the clip's pitch: read every `pitch` samples, between two samples by linear interpolation
    rises = [b - a for a, b in zip(voice, voice[1:], strict=False)]
    begin = rng.random()
    positions = [begin + n * pitch for n in range(int((len(voice) - 2) / pitch))]
    voice = [voice[i] + rises[i] * (p - i) for p in positions for i in (int(p),)]
    # granular: grains of the pitched voice laid out at the clip's own speed
    length = int(len(rises) / tempo)
    out = [0j] * (length + GRAIN)
    read_per_written = len(voice) / length
    for start in range(0, length, GRAIN // 2):
        source = round(start * read_per_written + rng.uniform(-GRAIN_JITTER, GRAIN_JITTER))
        if 0 <= source <= len(voice) - GRAIN:
            grain = voice[source : source + GRAIN]
            out[start : start + GRAIN] = [o + w * v for o, w, v in
                                          zip(out[start : start + GRAIN], _GRAIN_WINDOW, grain, strict=True)]
    # every frequency up by the same few tens of hertz: the real part of the analytic signal times a phasor
    phasors = itertools.accumulate(itertools.repeat(cmath.exp(2j * math.pi * rng.uniform(*SHIFT_HZ) / RATE)),
                                   operator.mul, initial=cmath.exp(1j * rng.uniform(0, 2 * math.pi)))
    shifted = [(value * phasor).real for value, phasor in zip(out, phasors, strict=False)]  # endless phasors
    # as loud as the clip wants it (below full scale, so the hiss on top never clips)
    scale = rng.uniform(*PEAK) / (max(map(abs, shifted)) or 1)
    return [round(value * scale) for value in shifted]


def render_wav(code):
    """The code spoken in Mandarin after three beeps, each digit from a random recording, varied as
    `_spoken` says, at a random moment (the pauses vary too), over a low hiss."""
    from captcha.audio import BEEP, END_BEEP, SILENCE

    rng = secrets.SystemRandom()
    spoken = [_spoken(digit, rng) for digit in code]
    pauses = [round(RATE * rng.uniform(*PAUSE)) for _digit in code[1:]] + [round(RATE * rng.uniform(0.3, 0.6))]
    position = round(RATE * rng.uniform(*LEAD_IN))
    body = bytearray(os.urandom(position + sum(map(len, spoken)) + sum(pauses)).translate(_HISS))
    for voice, pause in zip(spoken, pauses, strict=True):
        end = position + len(voice)
        body[position:end] = bytes([hiss + value for hiss, value in zip(body[position:end], voice, strict=True)])
        position = end + pause
    buffer = BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(1)
        clip.setframerate(RATE)
        clip.writeframes(bytes(BEEP + SILENCE + BEEP + SILENCE + BEEP + body + END_BEEP))
    return buffer.getvalue()


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
