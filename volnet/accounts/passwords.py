"""The password policy: the manual's four rules plus domain.md §9.4."""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

RULES = [
    ("length", _("密碼最短長度：12")),
    ("digit", _("包含數字")),
    ("lower", _("包含小寫字母")),
    ("upper", _("包含大寫字母")),
]

# What is missing, as one whole sentence for each combination (in RULES order), so that no
# language has to build it from pieces.
MISSING_CLASSES = {
    ("digit",): _("密碼必須包含數字。"),
    ("lower",): _("密碼必須包含小寫字母。"),
    ("upper",): _("密碼必須包含大寫字母。"),
    ("digit", "lower"): _("密碼必須包含數字、包含小寫字母。"),
    ("digit", "upper"): _("密碼必須包含數字、包含大寫字母。"),
    ("lower", "upper"): _("密碼必須包含小寫字母、包含大寫字母。"),
    ("digit", "lower", "upper"): _("密碼必須包含數字、包含小寫字母、包含大寫字母。"),
}


def rule_results(password):
    """For the live checklist and the server alike: {rule: passed}."""
    password = password or ""
    return {
        "length": len(password) >= 12,
        "digit": bool(re.search(r"[0-9]", password)),
        "lower": bool(re.search(r"[a-z]", password)),
        "upper": bool(re.search(r"[A-Z]", password)),
    }


class CharacterClassValidator:
    def validate(self, password, user=None):
        results = rule_results(password)
        missing = tuple(key for key, _label in RULES if key != "length" and not results[key])
        if missing:
            raise ValidationError(str(MISSING_CLASSES[missing]), code="password_classes")

    def get_help_text(self):
        return gettext("密碼須包含數字、小寫字母及大寫字母。")


def birth_date_forms(birth):
    """The ways people write their birth date: 19810520, 0700520, 700520, 70/05/20, 1981-05-20, 05201981…"""
    roc = birth.year - 1911
    years = {f"{birth.year}", f"{roc:03d}", f"{roc}"}
    month_day = [(f"{birth.month:02d}", f"{birth.day:02d}"), (str(birth.month), str(birth.day))]
    forms = set()
    for year in years:
        for month, day in month_day:
            for sep in ("", "/", "-", "."):
                forms.add(f"{year}{sep}{month}{sep}{day}")
    forms.add(f"{birth:%m%d%Y}")
    forms.add(f"{birth:%d%m%Y}")
    # Too short to mean a date by itself (e.g. "7052"): keep only forms of 6 characters or more.
    return {form for form in forms if len(form) >= 6}


class PersonalDataValidator:
    """Not the ID number, nor the birth date in any common form."""

    def validate(self, password, user=None):
        if user is None or not password:
            return
        lowered = password.lower()
        number = (getattr(user, "national_id", "") or "").lower()
        # The whole number, or its 9 characters after the letter (people drop the letter).
        if number and (number in lowered or number[1:] in lowered):
            raise ValidationError(gettext("密碼不可包含身分證號碼。"), code="password_has_id")
        birth = getattr(user, "birth_date", None)
        if birth:
            if any(form in password for form in birth_date_forms(birth)):
                raise ValidationError(gettext("密碼不可包含出生年月日。"), code="password_has_birth_date")

    def get_help_text(self):
        return gettext("密碼不可包含身分證號碼或出生年月日。")


class HistoryValidator:
    """None of the last three passwords (the current one counts)."""

    depth = 3

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        earlier = list(user.password_history.values_list("password", flat=True)[: self.depth])
        if user.password and user.has_usable_password():
            earlier = [user.password] + earlier[: self.depth - 1]
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(gettext("不可使用最近 3 次用過的密碼。"), code="password_reused")

    def get_help_text(self):
        return gettext("不可使用最近 3 次用過的密碼。")
