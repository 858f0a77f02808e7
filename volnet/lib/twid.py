"""Taiwan ID numbers: 國民身分證統一編號 and both forms of 居留證 (統一證號); and, for a foreigner without a
residence-permit number, the passport (domain.md §4, §7).

One checksum routine serves the three Taiwan formats (domain.md §4). A passport is written as the country's
three-letter code (ISO 3166 / ICAO 9303, e.g. JPN) followed by the passport number (5 to 9 letters and digits,
at least one digit): `JPNTR1234567`. The code keeps two countries' equal numbers apart, and no passport can
be read as a Taiwan number (those have a digit or A–D second and ten characters). TWN is refused: a holder of
a Taiwan passport has a national ID number. Passports have no check digit.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from volnet.lib.text import fold_width

# Index in this string + 10 is the letter's two-digit value (A=10 … Z=33, I=34, O=35).
_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
# The one shape of an ID number, or of its beginning: a letter, 1 2 (身分證) 8 9 (new 居留證) or A–D
# (old 居留證), then up to eight digits.
_BEGINNING = re.compile(r"[A-Z][1289A-D][0-9]{0,8}")

NATIONAL = "national"
RESIDENT_NEW = "resident_new"
RESIDENT_OLD = "resident_old"
_KIND_BY_SECOND = {**dict.fromkeys("12", NATIONAL), **dict.fromkeys("89", RESIDENT_NEW),
                   **dict.fromkeys("ABCD", RESIDENT_OLD)}

PASSPORT = "passport"
_PASSPORT = re.compile(r"(?!TWN)[A-Z]{3}(?=[A-Z0-9]*[0-9])[A-Z0-9]{5,9}")
# A search box reads a passport's beginning only with a digit in it, so that a name in Latin letters
# (ANN, JOHN) stays a name.
_PASSPORT_BEGINNING = re.compile(r"[A-Z]{3}[A-Z0-9]{0,8}[0-9][A-Z0-9]{0,8}")
LONGEST = 12  # a passport's country code and number

OLD_RESIDENT_LAST_DAY = dt.date(2030, 12, 31)


class IdNumberError(ValueError):
    """Raised with a message in Traditional Chinese."""


def normalize(text):
    """Upper case, no spaces (full-width letters and digits folded too)."""
    return re.sub(r"\s+", "", fold_width(text)).upper()


def is_beginning(number):
    """Whether a normalised `number` is an ID number or its beginning (two characters at least), as a
    search box tells an ID number from a name."""
    number = number or ""
    if _BEGINNING.fullmatch(number):
        return True
    return len(number) <= LONGEST and bool(_PASSPORT_BEGINNING.fullmatch(number))


def is_passport(number):
    return bool(_PASSPORT.fullmatch(number or ""))


def kind_of(number):
    """Which of the four formats `number` has, or None (no checksum check)."""
    if is_passport(number):
        return PASSPORT
    if len(number or "") != 10 or not _BEGINNING.fullmatch(number):
        return None
    return _KIND_BY_SECOND[number[1]]


def _letter_value(letter):
    return _LETTERS.index(letter) + 10


def checksum_ok(number):
    """The Taiwan check digit; a passport has none, so it passes."""
    if is_passport(number):
        return True
    value = _letter_value(number[0])
    second = number[1]
    second_digit = _letter_value(second) % 10 if second.isalpha() else int(second)
    digits = [value // 10, value % 10, second_digit] + [int(ch) for ch in number[2:]]
    return sum(w * d for w, d in zip(_WEIGHTS, digits, strict=True)) % 10 == 0


def validate(text):
    """Return the normalised number, or raise IdNumberError saying what is wrong."""
    number = normalize(text)
    if not number:
        raise IdNumberError(_("請輸入身分證號碼或居留證號碼。"))
    if is_passport(number):
        return number
    if len(number) != 10:
        if re.fullmatch(r"[A-Z]{3}[A-Z0-9]*", number):
            raise IdNumberError(_("護照請寫國籍代碼（3 個英文字母，例如 JPN）加護照號碼（5 到 9 碼英數字），"
                                  "例如 JPN TR1234567。"))
        raise IdNumberError(_("身分證號碼(居留證號碼)應為 10 碼，例如 A123456789；"
                              "沒有居留證的外籍人士請填國籍代碼加護照號碼，例如 JPN TR1234567。"))
    if not number[0].isalpha() or number[0] not in _LETTERS:
        raise IdNumberError(_("第 1 碼應為英文字母。"))
    if kind_of(number) is None:
        raise IdNumberError(_("號碼格式不正確：第 2 碼應為 1、2、8、9 或 A–D，其後為 8 位數字。"))
    if not checksum_ok(number):
        raise IdNumberError(_("號碼檢查碼不正確，請確認是否輸入錯誤。"))
    return number


def is_valid(text):
    try:
        validate(text)
    except IdNumberError:
        return False
    return True


def old_resident_expired(number, today):
    """Old-style residence numbers stop working after 2030-12-31 (flag, do not reject)."""
    return kind_of(number) == RESIDENT_OLD and today > OLD_RESIDENT_LAST_DAY
