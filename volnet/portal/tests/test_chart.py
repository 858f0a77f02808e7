from decimal import Decimal

import pytest

from volnet.portal.chart import fill_years, hours_chart, nice_ceiling
from volnet.records.queries import YearTotal


@pytest.mark.parametrize("value, top", [(0, 1), (0.4, 0.5), (1, 1), (3.7, 5), (12, 20), (33, 50), (67, 100),
                                        (100, 100), (101, 200), (240, 250), (1234.5, 2000)])
def test_the_scale_ends_on_a_round_number(value, top):
    assert nice_ceiling(value) == Decimal(str(top))


def test_years_without_hours_are_shown_as_empty_rows():
    years = [YearTotal(2026, Decimal("3"), 1), YearTotal(2023, Decimal("5"), 2)]
    assert fill_years(years) == [(2026, Decimal("3")), (2025, 0), (2024, 0), (2023, Decimal("5"))]


def test_bars_are_proportional_to_the_hours_and_newest_on_top():
    chart = hours_chart([YearTotal(2026, Decimal("33"), 3), YearTotal(2025, Decimal("11"), 2),
                         YearTotal(2024, Decimal("0.1"), 1)])
    assert [bar.roc_year for bar in chart.bars] == [115, 114, 113]
    assert chart.scale_max == 50
    widest = chart.width - chart.bar_x - 68
    assert chart.bars[0].width == pytest.approx(widest * 33 / 50, abs=0.1)
    assert chart.bars[1].width == pytest.approx(widest * 11 / 50, abs=0.1)
    assert chart.bars[2].width == 2.0  # a sliver stays visible
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y
    assert chart.height >= chart.bars[-1].y + chart.bar_height


def test_the_description_reads_every_figure():
    chart = hours_chart([YearTotal(2026, Decimal("33"), 3), YearTotal(2025, Decimal("40.7"), 2)])
    assert chart.description == "115年 33 小時；114年 40.7 小時"


def test_no_years_no_chart():
    assert hours_chart([]) is None
