"""Hours and minutes as the manual shows them: service hours `3.7`, training `12小時00分鐘`."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ONE_DECIMAL = Decimal("0.1")  # how service hours are shown


def format_minutes(minutes):
    """720 → `12小時00分鐘`."""
    minutes = int(minutes or 0)
    return _("%(hours)d小時%(minutes)02d分鐘") % {"hours": minutes // 60, "minutes": minutes % 60}


def format_hours(value):
    """Decimal('12.0') → `12`, Decimal('3.70') → `3.7`, None → `0`."""
    if value is None:
        return "0"
    value = Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    text = format(value, "f")
    return text[:-2] if text.endswith(".0") else text


def limits(places, max_digits):
    """(smallest step, largest value) of a decimal column: 1 place and 6 digits → (0.1, 99999.9)."""
    step = Decimal(1).scaleb(-places)
    return step, Decimal(10) ** (max_digits - places) - step


def too_many_places(places):
    """The message for hours finer than the column keeps (`places` decimal places)."""
    if places == 1:
        return _("時數最多一位小數，例如 3.5。")
    return ngettext("時數最多 %(count)s 位小數。", "時數最多 %(count)s 位小數。", places) % {"count": places}


def parse_hours(text, *, places, max_digits):
    """`3.7` → Decimal('3.7'); raises ValueError (with a message for the user) on anything else.

    `places` and `max_digits` are the limits of the column the hours go to (its `decimal_places` and
    `max_digits`: `records.services.parse_hours` passes ServiceRecord.hours's)."""
    step, maximum = limits(places, max_digits)
    try:
        value = Decimal(str(text).strip())
    except Exception:
        raise ValueError(_("時數「%(text)s」不是數字。") % {"text": text}) from None
    if not value.is_finite():
        raise ValueError(_("時數「%(text)s」不是數字。") % {"text": text})
    if value <= 0:
        raise ValueError(_("時數必須大於 0。"))
    if value > maximum:
        raise ValueError(_("時數過大，請確認。"))
    try:
        whole_steps = value == value.quantize(step)
    except InvalidOperation:
        whole_steps = False
    if not whole_steps:
        raise ValueError(too_many_places(places))
    return value


def round_down(value, step):
    """Round down to the authority's smallest unit, e.g. 0.5 h (嘉義縣). step None = no rounding."""
    value = Decimal(value)
    if not step:
        return value
    step = Decimal(step)
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step
