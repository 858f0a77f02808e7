"""Taiwan ID numbers: 國民身分證統一編號 and both forms of 居留證 (統一證號).

One checksum routine serves all three formats (domain.md §4).
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

OLD_RESIDENT_LAST_DAY = dt.date(2030, 12, 31)


class IdNumberError(ValueError):
    """Raised with a message in Traditional Chinese."""


def normalize(text):
    """Upper case, no spaces (full-width letters and digits folded too)."""
    return re.sub(r"\s+", "", fold_width(text)).upper()


def is_beginning(number):
    """Whether a normalised `number` is an ID number or its beginning (two characters at least), as a
    search box tells an ID number from a name."""
    return bool(_BEGINNING.fullmatch(number or ""))


def kind_of(number):
    """Which of the three formats `number` has, or None (no checksum check)."""
    if len(number or "") != 10 or not is_beginning(number):
        return None
    return _KIND_BY_SECOND[number[1]]


def _letter_value(letter):
    return _LETTERS.index(letter) + 10


def checksum_ok(number):
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
    if len(number) != 10:
        raise IdNumberError(_("身分證號碼(居留證號碼)應為 10 碼，例如 A123456789。"))
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
