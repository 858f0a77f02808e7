from decimal import Decimal

import pytest

from volnet.lib import hours, masking

COLUMN = {"places": 1, "max_digits": 6}  # a column like ServiceRecord.hours


def test_id_numbers_lose_their_last_four_characters():
    assert masking.mask_id("E122333441") == "E12233****"
    assert masking.mask_id("AA00000009") == "AA0000****"
    assert masking.mask_id("") == ""
    assert masking.mask_id(None) == ""
    assert masking.mask_id("AB") == "**"


@pytest.mark.parametrize(
    "name, masked",
    [("王小明", "王○明"), ("王明", "王○"), ("歐陽小明", "歐○○明"), ("測試熊", "測○熊"), ("王", "王"), ("", ""),
     ("John Smith", "J○○○ S○○○○")],
)
def test_names_keep_only_first_and_last_characters(name, masked):
    assert masking.mask_name(name) == masked


def test_email_addresses_keep_the_domain():
    assert masking.mask_email("test.bear@example.tw") == "t***@example.tw"
    assert masking.mask_email("") == ""
    assert masking.mask_email("not-an-address") == ""


@pytest.mark.parametrize("minutes, text", [(720, "12小時00分鐘"), (360, "6小時00分鐘"), (95, "1小時35分鐘"),
                                           (0, "0小時00分鐘"), (None, "0小時00分鐘"), (5, "0小時05分鐘")])
def test_training_minutes_read_as_hours_and_minutes(minutes, text):
    assert hours.format_minutes(minutes) == text


@pytest.mark.parametrize("value, text", [(Decimal("12"), "12"), (Decimal("12.0"), "12"), (Decimal("3.70"), "3.7"),
                                         (Decimal("0.5"), "0.5"), (None, "0"), (Decimal("1234.5"), "1234.5")])
def test_service_hours_show_at_most_one_decimal(value, text):
    assert hours.format_hours(value) == text


def test_hours_parse_with_one_decimal_and_refuse_the_rest():
    assert hours.parse_hours(" 3.7 ", **COLUMN) == Decimal("3.7")
    for bad, fragment in [("abc", "不是數字"), ("0", "大於 0"), ("-1", "大於 0"), ("1.25", "一位小數"),
                          ("NaN", "不是數字"), ("inf", "不是數字")]:
        with pytest.raises(ValueError, match=fragment):
            hours.parse_hours(bad, **COLUMN)


def test_the_limits_of_hours_are_the_columns():
    assert hours.limits(1, 6) == (Decimal("0.1"), Decimal("99999.9"))
    assert hours.parse_hours("99999.9", **COLUMN) == Decimal("99999.9")
    with pytest.raises(ValueError, match="時數過大"):
        hours.parse_hours("100000", **COLUMN)
    assert hours.parse_hours("1.25", places=2, max_digits=6) == Decimal("1.25")
    with pytest.raises(ValueError, match="時數最多 2 位小數"):
        hours.parse_hours("1.255", places=2, max_digits=6)


def test_authorities_may_round_down_to_half_hours():
    assert hours.round_down(Decimal("3.7"), Decimal("0.5")) == Decimal("3.5")
    assert hours.round_down(Decimal("0.4"), Decimal("0.5")) == Decimal("0")
    assert hours.round_down(Decimal("3.7"), None) == Decimal("3.7")


def test_a_list_names_someone_with_a_masked_id_number_and_masks_the_name_when_told():
    assert masking.person_label("測試熊", "E122333441") == "測試熊（E12233****）"
    assert masking.person_label("測試熊", "E122333441", hide_name=True) == "測○熊（E12233****）"
