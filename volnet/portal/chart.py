"""The service-hours chart: geometry for a horizontal bar chart drawn as SVG by a template.

Horizontal bars keep year labels readable on a 360 px phone however many years there are. Years
without hours between the first and the last are shown as empty rows, so gaps are visible.
"""

import dataclasses
import math
from decimal import Decimal

from django.utils.translation import gettext, ngettext

from volnet.lib.hours import format_hours

WIDTH = 320
ROW = 36
BAR = 24
LABEL = 64  # room for "115年"
VALUE = 68  # room for "1234.5"
TOP = 4


@dataclasses.dataclass(frozen=True)
class Bar:
    roc_year: int
    hours: Decimal
    hours_text: str
    y: float
    width: float
    text_y: float
    value_x: float


@dataclasses.dataclass(frozen=True)
class Chart:
    bars: list
    width: int
    height: int
    bar_x: int
    bar_height: int
    scale_max: Decimal

    @property
    def description(self):
        """What a screen reader says for the chart: every year and its hours, newest first."""
        # Translators: separates the years in the chart's spoken description, e.g. "115年 33 小時；114年 11 小時".
        separator = gettext("；")
        return separator.join(
            ngettext("%(year)s年 %(hours)s 小時", "%(year)s年 %(hours)s 小時", plural_count(bar.hours))
            % {"year": bar.roc_year, "hours": bar.hours_text}
            for bar in self.bars
        )


def plural_count(hours):
    """The integer ngettext needs to choose between "1 hour" and "0.5 hours" / "2 hours"."""
    try:
        return 1 if Decimal(str(hours)) == 1 else 2
    except ArithmeticError:
        return 2


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ value (0 → 1): a round top for the scale."""
    value = float(value)
    if value <= 0:
        return Decimal(1)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return Decimal(str(step * power)).normalize()
    return Decimal(str(10 * power))  # pragma: no cover - the loop always returns


def fill_years(years):
    """YearTotal rows (newest first) → [(year, hours)] with every year in between, newest first."""
    if not years:
        return []
    by_year = {y.year: y.hours for y in years}
    newest, oldest = max(by_year), min(by_year)
    return [(year, by_year.get(year, Decimal(0))) for year in range(newest, oldest - 1, -1)]


def hours_chart(years):
    """A Chart for YearTotal rows (as queries.yearly_totals returns them), or None when empty."""
    rows = fill_years(years)
    if not rows:
        return None
    top = nice_ceiling(max(hours for _, hours in rows))
    span = WIDTH - LABEL - VALUE
    bars = []
    for index, (year, hours) in enumerate(rows):
        y = TOP + index * ROW
        width = float(hours) / float(top) * span if hours > 0 else 0.0
        if 0 < width < 2:
            width = 2.0  # a sliver stays visible
        bars.append(
            Bar(
                roc_year=year - 1911,
                hours=hours,
                hours_text=format_hours(hours),
                y=y,
                width=round(width, 1),
                text_y=y + BAR / 2,
                value_x=round(LABEL + width + 6, 1),
            )
        )
    return Chart(bars=bars, width=WIDTH, height=TOP * 2 + len(rows) * ROW - (ROW - BAR), bar_x=LABEL,
                 bar_height=BAR, scale_max=top)
