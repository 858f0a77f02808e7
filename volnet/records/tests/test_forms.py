"""The record forms read what people type: ROC dates, hours with one decimal, amounts with commas.
Whatever is typed, the answer is a form with Chinese errors, never an exception."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from volnet.forms import RocDateField
from volnet.records.forms import AmountField, HoursField, ServiceRecordForm, TrainingRecordForm
from volnet.records.models import TrainingRecord


def test_roc_dates_in_the_forms_people_write():
    field = RocDateField()
    assert field.clean("114/02/02") == dt.date(2025, 2, 2)
    assert field.clean("1140202") == dt.date(2025, 2, 2)
    assert field.clean("114年2月2日") == dt.date(2025, 2, 2)
    assert field.clean("９９／５／１") == dt.date(2010, 5, 1)
    assert field.widget.format_value(dt.date(2025, 2, 2)) == "114/02/02"


def test_hours_and_amounts():
    assert HoursField().clean("3.5") == Decimal("3.5")
    assert HoursField().clean("３．５") == Decimal("3.5")  # typed with a Chinese input method
    assert AmountField().clean("1,000,000") == 1_000_000
    assert AmountField(required=False).clean("") == 0
    for bad in ("100萬", "99999999999", "１２"):
        with pytest.raises(forms.ValidationError):
            AmountField().clean(bad)


def test_a_service_form_shows_the_services_rules(supervisor_a, unit_a, volunteer):
    from volnet.units import access

    volunteers = access.managed_volunteers(supervisor_a, active_only=True)
    form = ServiceRecordForm({"volunteer": volunteer.pk, "service_item": "綜合服務", "content": "問安",
                              "start_date": "114/03/01", "hours": "24.5"}, unit=unit_a, volunteers=volunteers)
    assert not form.is_valid()
    assert "超過一天最多的 24 小時" in form.errors["hours"][0]
    assert form["hours"].field.widget.attrs["aria-invalid"] == "true"


def test_training_time_is_hours_plus_minutes(supervisor_a, unit_a, volunteer):
    from volnet.units import access

    form = TrainingRecordForm({
        "volunteer": volunteer.pk, "kind": "basic", "category": "education", "course": "志願服務內涵及倫理",
        "organiser": "社會局", "start_date": "110/05/10", "sessions": "1", "duration_hours": "6",
        "duration_minutes": "30",
    }, unit=unit_a, volunteers=access.managed_volunteers(supervisor_a))
    assert form.is_valid(), form.errors
    values = form.values()
    assert values["minutes"] == 390
    assert values["kind"] == TrainingRecord.Kind.BASIC and values["category"] == ""


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_chinese_error(text):
    try:
        RocDateField(required=False).clean(text)
    except forms.ValidationError as error:
        assert all(not message.isascii() for message in error.messages)


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_any_text_is_hours_or_a_chinese_error(text):
    try:
        value = HoursField(required=False).clean(text)
    except forms.ValidationError as error:
        assert all(not message.isascii() for message in error.messages)
    else:
        assert value is None or value > 0
