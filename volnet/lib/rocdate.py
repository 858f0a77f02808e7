"""民國 (ROC) dates: the only calendar volunteers see. Dates are stored as ISO dates."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from volnet.lib.text import fold_width

ROC_OFFSET = 1911


class RocDateError(ValueError):
    """Raised with a message in the reader's language that can be shown to the user as it is."""


_SLASHED = re.compile(r"^(\d{1,3})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{2,3})(\d{2})(\d{2})$")
_WORDED = re.compile(  # zh-only: parses the way people write dates in Chinese
    r"^(?:民國)?\s*(\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def parse(text):
    """Parse `114/02/02`, `099/05/01`, `99/05/01`, `1140202` or `114年2月2日` into a date."""
    if text is None:
        raise RocDateError(_("請輸入日期，格式如 114/02/02。"))
    cleaned = fold_width(text).strip().replace(" ", "")
    if not cleaned:
        raise RocDateError(_("請輸入日期，格式如 114/02/02。"))
    match = _SLASHED.match(cleaned) or _WORDED.match(cleaned)
    if match is None and len(cleaned) in (6, 7):
        match = _COMPACT.match(cleaned)
    if match is None:
        raise RocDateError(_("「%(text)s」不是有效的民國日期，格式如 114/02/02。") % {"text": _shorten(text)})
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise RocDateError(_("民國年份必須大於 0。"))
    try:
        return dt.date(year + ROC_OFFSET, month, day)
    except ValueError:
        raise RocDateError(_("民國 %(year)s 年 %(month)s 月 %(day)s 日不存在，請確認日期。")
                           % {"year": year, "month": month, "day": day}) from None


def format(value, empty=""):
    """`2025-02-02` → `114/02/02`. Dates before 民國1年 are shown in the Western calendar."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = value.date()
    year = value.year - ROC_OFFSET
    if year < 1:
        return value.isoformat()
    return f"{year:03d}/{value.month:02d}/{value.day:02d}"


def format_datetime(value, empty=""):
    """An aware datetime in local time: `114/02/02 14:05`."""
    if value is None:
        return empty
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format(local.date())} {local:%H:%M}"


def format_range(start, end, empty=""):
    """`115/03/01~115/03/30`; an open range keeps the tilde: `110/05/05~`."""
    if start is None and end is None:
        return empty
    return f"{format(start)}~{format(end)}"


def check_order(start, end):
    if start and end and end < start:
        raise RocDateError(_("結束日期 %(end)s 早於開始日期 %(start)s，請確認。")
                           % {"end": format(end), "start": format(start)})


def _shorten(text, limit=20):
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"
