"""Property-based tests of the parsers: any input gives a value or a Chinese message, never a crash."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from volnet.lib import hours, masking, rocdate, twid

ANY_TEXT = st.one_of(st.text(max_size=60), st.text(alphabet="0123456789/年月日~ -.", max_size=20))


@settings(max_examples=300)
@given(ANY_TEXT)
def test_rocdate_parse_returns_a_date_or_a_chinese_message(text):
    try:
        value = rocdate.parse(text)
    except rocdate.RocDateError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert isinstance(value, dt.date)


@settings(max_examples=200)
@given(st.dates(min_value=dt.date(1912, 1, 1), max_value=dt.date(2910, 12, 31)))
def test_every_roc_date_round_trips(day):
    assert rocdate.parse(rocdate.format(day)) == day


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"[A-Za-z][0-9A-Da-d][0-9]{8}", fullmatch=True)))
def test_id_validation_accepts_only_checksum_valid_numbers(text):
    try:
        number = twid.validate(text)
    except twid.IdNumberError as error:
        assert str(error)
    else:
        if twid.kind_of(number) == twid.PASSPORT:  # country code and passport number: no check digit
            assert twid.is_passport(number) and len(number) <= twid.LONGEST
        else:
            assert len(number) == 10 and twid.checksum_ok(number) and twid.kind_of(number)


@given(st.from_regex(r"[A-Z][12][0-9]{8}", fullmatch=True))
def test_exactly_one_check_digit_makes_a_national_id_valid(number):
    candidates = [number[:9] + str(d) for d in range(10)]
    assert sum(twid.is_valid(c) for c in candidates) == 1


@given(st.text(max_size=20))
def test_masked_ids_never_show_the_last_four_characters(text):
    masked = masking.mask_id(text)
    assert len(masked) == len(text)
    assert masked[-4:] == "*" * min(4, len(text))


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=15), st.decimals(allow_nan=True, allow_infinity=True).map(str)))
def test_hours_parse_to_a_positive_tenth_or_refuse(text):
    try:
        value = hours.parse_hours(text, places=1, max_digits=6)
    except ValueError as error:
        assert str(error)
    else:
        assert value > 0 and value == value.quantize(Decimal("0.1"))
