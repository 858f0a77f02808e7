"""Verification codes: 100 random bits written as 20 characters of Crockford's base32 in five groups of four
(`7KQ2-M9XD-4HTB-Z0WC-P3NE`). No I, L, O or U, so nothing reads as another letter; someone typing a code may
use lower case, spaces or no dashes, and an O, I or L is read as the digit it looks like."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 5 bits each: 100 bits, far beyond guessing even at the throttle's full rate
GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")


def new_code():
    """A fresh code, stored and compared without dashes."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """What someone typed or scanned → the stored form, or "" when it cannot be a code."""
    if not isinstance(text, str) or len(text) > 80:
        return ""
    code = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def display(code):
    """`7KQ2M9XD…` → `7KQ2-M9XD-…`: as printed on the document and in its address."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))
