"""The audio captcha against an attacker who holds the committed digit recordings (they are in the public
repository) and reads a clip by matching them against it sample by sample.

The attacker (`DigitMatcher`): find the spoken parts of the clip by their loudness; for each, slide every
recording of every digit, played at every speed from 0.80 to 1.25 in steps of 0.01, over the part
(±40 samples around where the sound starts) and keep the digit whose recording matches best, if it matches
well (normalized cross-correlation ≥ GOOD_MATCH). Fast enough for a test without numpy: the correlation at every
offset comes from one big-integer product (a coarse pass on every 4th sample), and the 40 best candidates are
then compared on every sample.

The control shows the attacker works: it reads the clips of the mixer the site used before (the captcha
library's, speed 0.90–1.20 by repeating samples, a light hiss). The clips the site serves now (see
`captcha._spoken`) change pitch and speed independently, re-lay the voice in jittered grains, move every
frequency up by some tens of hertz and vary the pauses, so it reads nothing.
"""

import array
import io
import math
import operator
import os
import secrets
import wave

import pytest

from volnet.accounts import captcha

FRAME = 80  # 10 ms at 8 kHz
BEFORE, WINDOW, COARSE, REACH = 120, 640, 4, 40
FACTORS = [round(0.80 + 0.01 * step, 2) for step in range(46)]
GOOD_MATCH = 0.65  # a spoken part of an old clip matches its recording at 0.73-1.0 (0.95 on average)


def _unsigned(wav_bytes):
    with wave.open(io.BytesIO(wav_bytes)) as audio:
        assert audio.getsampwidth() == 1 and audio.getframerate() == 8000
        return list(audio.readframes(audio.getnframes()))


def _onset(centered):
    level = 0.5 * max(map(abs, centered))
    return next(i for i, value in enumerate(centered) if abs(value) >= level)


def _big(values):
    return int.from_bytes(array.array("I", values).tobytes(), "little")


class _Variant:
    """One recording at one speed: the WINDOW samples from a little before its sound starts."""

    def __init__(self, digit, recording, factor):
        played = [recording[int(i / factor)] for i in range(int(len(recording) * factor))]
        start = _onset([v - 128 for v in played]) - BEFORE
        window = ([128] * max(0, -start) + played[max(0, start):] + [128] * WINDOW)[:WINDOW]
        self.digit = digit
        self.window = [v - 128 for v in window]
        self.energy = math.sqrt(sum(v * v for v in self.window)) or 1.0
        coarse = window[::COARSE]
        self.coarse_big = _big(coarse[::-1])
        self.coarse_sum = sum(coarse)
        centered = [v - 128 for v in coarse]
        self.coarse_energy = math.sqrt(sum(v * v for v in centered)) or 1.0


class DigitMatcher:
    def __init__(self):
        self.variants = []
        for digit in "0123456789":
            for path in sorted((captcha.VOICE_DIR / digit).glob("*.wav")):
                recording = _unsigned(path.read_bytes())
                # in order of speed, so a variant's neighbours in the list are the nearby speeds
                self.variants += [_Variant(digit, recording, factor) for factor in FACTORS]

    @staticmethod
    def spoken_parts(centered):
        envelope = [sum(map(abs, centered[i : i + FRAME])) / FRAME for i in range(0, len(centered) - FRAME, FRAME)]
        floor = sorted(envelope)[len(envelope) // 5]
        loud = max(3 * floor, floor + 4)
        parts, start, end, quiet = [], None, 0, 0
        for index, value in enumerate(envelope):
            if value > loud:
                start = index if start is None else start
                end, quiet = index, 0
            elif start is not None:
                quiet += 1
                if quiet > 8:
                    parts.append((start, end))
                    start = None
        if start is not None:
            parts.append((start, end))
        return [(a * FRAME, (b + 1) * FRAME) for a, b in parts if b - a >= 9]

    def _coarse(self, raw, base):
        """(score, variant index, start): each variant's best even offset within ±REACH of `base`, on every
        4th sample."""
        n = WINDOW // COARSE
        found = []
        for phase in (0, 2):
            first = base - REACH + phase
            count = (2 * REACH - phase) // COARSE + 1
            if first < 0 or first + COARSE * (n + count) > len(raw):
                continue
            seq = raw[first : first + COARSE * (n + count - 1) : COARSE]
            seq_big = _big(seq)
            # per offset k: the sum of the window (to centre the dot product) and its centred energy
            shift, scale = [], []
            for k in range(count):
                window = seq[k : k + n]
                total = sum(window)
                energy = sum(v * v for v in window) - 2 * 128 * total + n * 128 * 128
                shift.append(128 * total - n * 128 * 128)
                scale.append(1 / math.sqrt(max(energy, 1)))
            for index, variant in enumerate(self.variants):
                dots = memoryview((seq_big * variant.coarse_big).to_bytes(4 * (2 * n + count), "little")).cast("I")
                own = 128 * variant.coarse_sum
                scores = [(dot - moved - own) * factor
                          for dot, moved, factor in zip(dots[n - 1 : n - 1 + count], shift, scale, strict=True)]
                best = max(range(count), key=scores.__getitem__)
                found.append((scores[best] / variant.coarse_energy, index, first + COARSE * best))
        return found

    def best_digit(self, raw, centered, start, end):
        base = start + _onset(centered[start:end]) - BEFORE
        candidates = sorted(self._coarse(raw, base), reverse=True)[:40]
        energies = {}
        best = (-1.0, None)
        for _score, index, begin in candidates:
            for neighbour in (index - 1, index, index + 1):
                variant = self.variants[neighbour % len(self.variants)]
                for offset in range(begin - 2, begin + 3):
                    piece = centered[offset : offset + WINDOW]
                    if offset < 0 or len(piece) < WINDOW:
                        continue
                    if offset not in energies:
                        energies[offset] = math.sqrt(sum(map(operator.mul, piece, piece))) or 1.0
                    score = sum(map(operator.mul, piece, variant.window)) / (energies[offset] * variant.energy)
                    best = max(best, (score, variant.digit))
        return best

    def read(self, wav_bytes):
        """(the digits read, [(best score, best digit) for each spoken part])."""
        raw = _unsigned(wav_bytes)
        centered = [v - 128 for v in raw]
        found = [self.best_digit(raw, centered, a, b) for a, b in self.spoken_parts(centered)]
        return "".join(digit for score, digit in found if score >= GOOD_MATCH), found


@pytest.fixture(scope="module")
def matcher():
    return DigitMatcher()


def _codes(count):
    return ["".join(secrets.choice("0123456789") for _ in range(4)) for _ in range(count)]


def _old_site_clip(code):
    """The clip as the site mixed it before: the captcha library's mixer with a light hiss."""
    from captcha.audio import AudioCaptcha

    class OldMixer(AudioCaptcha):
        def create_background_noise(self, length, chars):
            return bytearray(125 + byte % 6 for byte in os.urandom(length))

    mixer = OldMixer(voicedir=str(captcha.VOICE_DIR))
    return bytes(mixer.generate(code))


def test_the_matcher_reads_the_clips_of_the_old_mixer(matcher):
    # The old mixer is random (secrets, no seed), and about one clip in 200 has a digit the matcher misses
    # (measured over 600 clips), so the control asks for three clips of four read whole, not every one.
    readings = [(code, *matcher.read(_old_site_clip(code))) for code in _codes(4)]
    assert sum(read == code for code, read, _found in readings) >= 3, readings
    scores = [score for _code, _read, found in readings for score, _digit in found if score >= GOOD_MATCH]
    assert sum(scores) / (4 * len(readings)) > 0.85, readings  # every digit, a missed one as 0


def test_matching_the_committed_recordings_sample_by_sample_does_not_read_a_clip(matcher):
    best = []
    for code in _codes(4):
        read, found = matcher.read(captcha.render_wav(code))
        assert read != code, found
        best += [score for score, _digit in found]
    # On average a spoken part matches no recording at any speed and offset better than 0.6 (0.95 before).
    # (As a nearest-neighbour guess, the best-matching digit is still the right one about a third of the
    # time, against 10% by chance: a weak recogniser, as any intelligible audio allows.)
    assert sum(best) / len(best) < 0.6, best


def test_every_clip_of_the_same_code_differs_in_timing_and_sound():
    first, second = captcha.render_wav("5218"), captcha.render_wav("5218")
    assert first != second
    assert len({len(captcha.render_wav("5218")) for _ in range(4)}) > 1
