"""Hours and minutes as the manual shows them: service hours `3.7`, training `12小時00分鐘`."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ONE_DECIMAL = Decimal("0.1")
# The database column holds 6 digits with one decimal.
MAX_HOURS = Decimal("99999.9")


def format_minutes(minutes):
    """720 → `12小時00分鐘`."""
    minutes = int(minutes or 0)
    return f"{minutes // 60}小時{minutes % 60:02d}分鐘"


def format_hours(value):
    """Decimal('12.0') → `12`, Decimal('3.70') → `3.7`, None → `0`."""
    if value is None:
        return "0"
    value = Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    text = format(value, "f")
    return text[:-2] if text.endswith(".0") else text


def parse_hours(text):
    """`3.7` → Decimal('3.7'); raises ValueError (with a Chinese message) on anything else."""
    try:
        value = Decimal(str(text).strip())
    except Exception:
        raise ValueError(f"時數「{text}」不是數字。") from None
    if not value.is_finite():
        raise ValueError(f"時數「{text}」不是數字。")
    if value <= 0:
        raise ValueError("時數必須大於 0。")
    if value > MAX_HOURS:
        raise ValueError("時數過大，請確認。")
    try:
        whole_tenths = value == value.quantize(ONE_DECIMAL)
    except InvalidOperation:
        whole_tenths = False
    if not whole_tenths:
        raise ValueError("時數最多一位小數，例如 3.5。")
    return value


def round_down(value, step):
    """Round down to the authority's smallest unit, e.g. 0.5 h (嘉義縣). step None = no rounding."""
    value = Decimal(value)
    if not step:
        return value
    step = Decimal(step)
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step
