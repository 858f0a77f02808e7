import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from volnet.accounts.models import User
from volnet.accounts.passwords import birth_date_forms, rule_results


def person(**extra):
    return User(national_id="E122333441", name="測試熊", birth_date=dt.date(1981, 5, 20), **extra)


def test_the_four_rules_of_the_manual():
    assert rule_results("") == {"length": False, "digit": False, "lower": False, "upper": False}
    assert rule_results("Abcdefghijk1") == {"length": True, "digit": True, "lower": True, "upper": True}
    assert rule_results("abcdefghijk1")["upper"] is False
    assert rule_results("ABCDEFGHIJK1")["lower"] is False
    assert rule_results("Abcdefghijkl")["digit"] is False
    assert rule_results("Abcdefghij1")["length"] is False


@pytest.mark.parametrize(
    "password",
    ["Abcdefghij1", "abcdefghijk1", "ABCDEFGHIJK1", "Abcdefghijkl", "Xe122333441y", "x122333441Yab",
     "Birthday19810520", "Happy0700520Day", "Day70/05/20Happy", "Abcd1981-05-20", "Password1234", "Qwerty123456"],
)
def test_weak_or_personal_passwords_are_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password, person())


@pytest.mark.parametrize("password", ["Sunny-Garden-2026", "MyCat8IsCute", "Volunteer-42-Taichung"])
def test_good_passwords_pass(password, db):
    validate_password(password, person())


def test_birth_date_forms_cover_roc_and_western_writing():
    forms = birth_date_forms(dt.date(1981, 5, 20))
    for written in ("19810520", "0700520", "700520", "70/05/20", "070/05/20", "1981-05-20", "05201981", "70/5/20"):
        assert written in forms
    assert all(len(form) >= 6 for form in forms)


def test_every_change_files_the_old_hash(volunteer):
    first_hash = volunteer.password
    volunteer.set_password("Another-Pass-2026")
    volunteer.save()
    assert list(volunteer.password_history.values_list("password", flat=True)) == [first_hash]
    assert volunteer.password_changed_at is not None


def test_history_keeps_only_the_newest_few(volunteer):
    for number in range(8):
        volunteer.set_password(f"Another-Pass-{number:04d}")
        volunteer.save()
    assert volunteer.password_history.count() == 5
