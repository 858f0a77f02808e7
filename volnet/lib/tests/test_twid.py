import datetime as dt

import pytest

from volnet.lib import twid

# domain.md §4.3 test vectors.
VALID = {
    "A123456789": twid.NATIONAL,
    "F222222222": twid.NATIONAL,
    "A800000014": twid.RESIDENT_NEW,
    "A900000016": twid.RESIDENT_NEW,
    "A870000015": twid.RESIDENT_NEW,
    "A970000017": twid.RESIDENT_NEW,
    "AA00000009": twid.RESIDENT_OLD,
    "FC12345674": twid.RESIDENT_OLD,
    "AD98765439": twid.RESIDENT_OLD,
    "I100000003": twid.NATIONAL,
    "O200000006": twid.NATIONAL,
    "W100000001": twid.NATIONAL,
    "Z200000004": twid.NATIONAL,
    "E122333441": twid.NATIONAL,
}


@pytest.mark.parametrize("number, kind", VALID.items())
def test_it_accepts_the_three_formats(number, kind):
    assert twid.validate(number) == number
    assert twid.kind_of(number) == kind


@pytest.mark.parametrize("number", ["A123456788", "B234567890", "Z100000006"])
def test_it_rejects_a_bad_check_digit(number):
    with pytest.raises(twid.IdNumberError, match="檢查碼"):
        twid.validate(number)


@pytest.mark.parametrize(
    "number, fragment",
    [
        ("", "請輸入"),
        (None, "請輸入"),
        ("A12345678", "10 碼"),
        ("JPN12", "護照"),
        ("JPNTR1234567890", "護照"),
        ("A1234567890", "10 碼"),
        ("1123456789", "第 1 碼"),
        ("A323456789", "第 2 碼"),
        ("A023456789", "第 2 碼"),
        ("A723456789", "第 2 碼"),
        ("AE00000009", "第 2 碼"),
        ("AZ00000009", "第 2 碼"),
        ("A12345678X", "第 2 碼"),
        ("身分證字號一二三四", "10 碼"),
    ],
)
def test_it_says_what_is_wrong(number, fragment):
    with pytest.raises(twid.IdNumberError) as error:
        twid.validate(number)
    assert fragment in str(error.value)


def test_it_normalises_case_spaces_and_full_width_characters():
    assert twid.validate(" a123 456 789 ") == "A123456789"
    assert twid.validate("Ａ１２３４５６７８９") == "A123456789"
    assert twid.validate("fc12345674") == "FC12345674"


def test_old_residence_numbers_are_flagged_only_after_2030():
    assert not twid.old_resident_expired("AA00000009", dt.date(2030, 12, 31))
    assert twid.old_resident_expired("AA00000009", dt.date(2031, 1, 1))
    assert not twid.old_resident_expired("A800000014", dt.date(2031, 1, 1))
    # Still valid input: flag, do not reject.
    assert twid.is_valid("AA00000009")


@pytest.mark.parametrize("text", ["E1", "E12", "E12233", "E122333441", "A8", "FC1", "AD98765439"])
def test_a_search_box_takes_these_for_an_id_number_or_its_beginning(text):
    assert twid.is_beginning(text)


@pytest.mark.parametrize("text", ["", "E", "王小明", "ANN", "E3", "E1223334412", "E12x", "12345", "E1\n"])
def test_a_search_box_takes_these_for_names(text):
    assert not twid.is_beginning(text)


def test_full_width_and_half_width_id_numbers_are_the_same_number():
    assert twid.normalize("ｅ１２２　３３３　４４１") == twid.validate("E122333441")


@pytest.mark.parametrize("typed, number", [("JPN TR1234567", "JPNTR1234567"), ("jpn tr1234567", "JPNTR1234567"),
                                           ("VNM C1234567", "VNMC1234567"), ("USA 123456789", "USA123456789"),
                                           ("ＤＥＵ Ｃ01Ｘ00Ｔ47", "DEUC01X00T47")])
def test_a_foreigner_without_a_residence_permit_signs_in_with_country_code_and_passport(typed, number):
    assert twid.validate(typed) == number
    assert twid.kind_of(number) == twid.PASSPORT and len(number) <= twid.LONGEST


@pytest.mark.parametrize("text", ["TWN12345678", "JPNTRABCDEF", "JPN1234", "JP1234567", "JPNTR1234567890", "ABCDEFGH"])
def test_what_is_no_passport_is_refused(text):
    with pytest.raises(twid.IdNumberError):
        twid.validate(text)


def test_no_passport_reads_as_a_taiwan_number_and_no_taiwan_number_as_a_passport():
    for number in VALID:
        assert not twid.is_passport(number)
    assert twid.kind_of("JPNTR1234567") == twid.PASSPORT


def test_a_search_box_finds_a_passport_by_its_beginning_but_keeps_latin_names_as_names():
    assert twid.is_beginning("JPNTR12") and twid.is_beginning("USA1")
    assert not twid.is_beginning("JOHN") and not twid.is_beginning("ANNA") and not twid.is_beginning("JPN")
