"""Hours and minutes as the manual shows them: service hours `3.7`, training `12小時00分鐘`."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

ONE_DECIMAL = Decimal("0.1")
# The database column holds 6 digits with one decimal.
MAX_HOURS = Decimal("99999.9")


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


def parse_hours(text):
    """`3.7` → Decimal('3.7'); raises ValueError (with a message for the user) on anything else."""
    try:
        value = Decimal(str(text).strip())
    except Exception:
        raise ValueError(_("時數「%(text)s」不是數字。") % {"text": text}) from None
    if not value.is_finite():
        raise ValueError(_("時數「%(text)s」不是數字。") % {"text": text})
    if value <= 0:
        raise ValueError(_("時數必須大於 0。"))
    if value > MAX_HOURS:
        raise ValueError(_("時數過大，請確認。"))
    try:
        whole_tenths = value == value.quantize(ONE_DECIMAL)
    except InvalidOperation:
        whole_tenths = False
    if not whole_tenths:
        raise ValueError(_("時數最多一位小數，例如 3.5。"))
    return value


def round_down(value, step):
    """Round down to the authority's smallest unit, e.g. 0.5 h (嘉義縣). step None = no rounding."""
    value = Decimal(value)
    if not step:
        return value
    step = Decimal(step)
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step
