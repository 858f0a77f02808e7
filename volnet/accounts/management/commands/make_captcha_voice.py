"""Regenerate the Mandarin digit recordings of the audio captcha (run once; the WAVs are committed).

Each digit 0–9 is spoken by Debian's espeak-ng (voice cmn-latn-pinyin) in a few voices and speeds,
then converted by sox to what captcha.audio.AudioCaptcha mixes: 8 kHz, 8-bit unsigned, mono.
Neither program is needed at run time.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VOICE_DIR = Path(__file__).resolve().parents[2] / "captcha_voice"
# (file name, espeak-ng voice, words per minute, pitch): slow enough for older listeners.
VARIANTS = [
    ("m1", "cmn-latn-pinyin", 120, 45),
    ("f1", "cmn-latn-pinyin+f2", 120, 55),
    ("m2", "cmn-latn-pinyin+m3", 135, 40),
]


class Command(BaseCommand):
    help = _("以 espeak-ng 產生語音驗證碼的數字錄音（國語），存入 volnet/accounts/captcha_voice/。")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(VOICE_DIR))

    def handle(self, *args, output, **options):
        for program in ("espeak-ng", "sox"):
            if shutil.which(program) is None:
                raise CommandError(gettext("找不到 %(program)s：請先安裝 Debian 套件 espeak-ng 與 sox。")
                                   % {"program": program})
        target = Path(output)
        with tempfile.TemporaryDirectory() as scratch:
            for digit in "0123456789":
                folder = target / digit
                folder.mkdir(parents=True, exist_ok=True)
                for old in folder.glob("*.wav"):
                    old.unlink()
                for name, voice, speed, pitch in VARIANTS:
                    raw = Path(scratch) / f"{digit}-{name}.wav"
                    subprocess.run(
                        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), digit],
                        check=True,
                    )
                    subprocess.run(
                        # trim the leading and trailing silence, normalise, then 8 kHz / u8 / mono
                        ["sox", str(raw), "-r", "8000", "-b", "8", "-e", "unsigned-integer", "-c", "1",
                         str(folder / f"{name}.wav"), "silence", "1", "0.01", "1%", "reverse", "silence", "1",
                         "0.01", "1%", "reverse", "norm", "-1"],
                        check=True,
                    )
        self.stdout.write(gettext("已產生 %(count)s 個錄音於 %(folder)s")
                          % {"count": len(VARIANTS) * 10, "folder": target})
