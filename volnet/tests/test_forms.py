"""The form pieces every app shares (volnet.forms): what they accept and what they say."""

import pytest
from django import forms

from volnet.forms import PhoneField


@pytest.mark.parametrize(("typed", "kept"), [
    ("0912-345-678", "0912-345-678"),
    ("(04)2222-3333", "(04)2222-3333"),
    ("+886 912 345 678", "+886 912 345 678"),
    ("04-2222-3333#12", "04-2222-3333#12"),
    ("２２２２３３３", "2222333"),  # a local number typed with a Chinese input method
    ("（０４）２２２２－３３３３＃１２", "(04)2222-3333#12"),
    ("  0912345678 ", "0912345678"),
    ("", ""),
])
def test_a_phone_number_is_taken_as_people_write_it(typed, kept):
    assert PhoneField(label="電話", required=False).clean(typed) == kept


@pytest.mark.parametrize("typed", ["call me", "123456", "0912345678901234", "0912-345-678 分機 2"])
def test_a_phone_number_that_is_not_one_is_explained_with_its_field(typed):
    with pytest.raises(forms.ValidationError, match="緊急聯絡電話請填寫數字，例如 04-2222-3333 或 0912-345-678。"):
        PhoneField(label="緊急聯絡電話", required=False).clean(typed)


def test_the_browser_offers_the_phone_keypad_and_fills_in_only_ones_own_number():
    own, someone_elses = PhoneField(label="電話"), PhoneField(label="電話", autocomplete="off")
    assert own.widget.input_type == "tel"
    assert own.widget.attrs == {"inputmode": "tel", "autocomplete": "tel", "maxlength": "30"}
    assert someone_elses.widget.attrs["autocomplete"] == "off"
