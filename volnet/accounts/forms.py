"""The account forms. Each keeps what was typed (except passwords) and says what is wrong in the reader's
language (Chinese unless English was chosen)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.accounts import twofactor
from volnet.accounts.captcha import CaptchaFormMixin
from volnet.accounts.models import User
from volnet.forms import (
    ID_LABEL,
    AccessibleFormMixin,
    IdNumberField,
    PhoneField,
    RocDateField,
    RocDateInput,
    column,
    max_length,
)


def _interpolate(message, values):
    return str(message) % {key: str(value) for key, value in values.items()}


# `message % values`, worked out when the error is shown: the form classes are built at import time,
# before anyone has chosen a language.
interpolate_lazy = lazy(_interpolate, str)


def _text_errors(label, max_length):
    values = {"label": label, "max": max_length}
    return {
        "required": interpolate_lazy(_("請輸入%(label)s。"), values),
        "max_length": interpolate_lazy(_("%(label)s最多 %(max)s 個字。"), values),
        "null_characters_not_allowed": interpolate_lazy(_("%(label)s含有無法使用的字元。"), values),
    }


# The ID number's errors name it, like every other account field's (the back office keeps Django's).
ID_ERRORS = _text_errors(ID_LABEL, 20)


def birth_date_field(label):
    """One's own birth date, on the sign-in pages: the browser may offer the birthday it knows
    (autocomplete=bday), phones show a number pad, and the placeholder is the bare format because the help
    text already says it is an example. The back office's date boxes differ on all three, and take no
    width class here (`"class": None`)."""
    return RocDateField(
        label=label,
        max_length=20,
        help_text=_("範例：114/02/02"),
        error_messages=_text_errors(label, 20),
        widget=RocDateInput(attrs={"inputmode": "numeric", "autocomplete": "bday", "placeholder": "114/02/02",
                                   "class": None}),
    )


def password_field(label, autocomplete, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages=_text_errors(label, 128),
    )


class LoginForm(AccessibleFormMixin, CaptchaFormMixin, forms.Form):
    national_id = IdNumberField(
        label=_("帳號"),
        help_text=_("身分證字號或居留證號碼"),
        autocomplete="username",
        error_messages={**ID_ERRORS, "required": _("請輸入帳號（身分證字號或居留證號碼）。")},
    )
    password = password_field(_("密碼"), "current-password")


def code_field(label, help_text, required, **attrs):
    return forms.CharField(
        label=label,
        max_length=12,
        help_text=help_text,
        error_messages={**_text_errors(_("驗證器數字"), 12), "required": required},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **attrs}),
    )


class SecondFactorForm(AccessibleFormMixin, forms.Form):
    """The second factor: the app's current 6 digits, or one of the recovery codes (備用碼)."""

    code = code_field(
        _("驗證器 6 位數字或備用碼"),
        _("請輸入手機驗證器 App 目前顯示的 6 位數字；手機不在身邊時，可輸入一組備用碼（例如 abcd-efgh）。"),
        _("請輸入 6 位數字或一組備用碼。"),
        autocapitalize="none",
        spellcheck="false",
    )
    accepts = ("totp", "recovery")
    invalid = _("請輸入 6 位數字或一組備用碼。")

    def clean_code(self):
        code = twofactor.normalise(self.cleaned_data["code"])
        if twofactor.kind_of(code) not in self.accepts:
            raise forms.ValidationError(str(self.invalid), code="invalid_code")
        return code


class EnrolCodeForm(SecondFactorForm):
    """The first code of a newly scanned authenticator app (no recovery codes exist yet)."""

    code = code_field(
        _("驗證器 6 位數字"), _("請開啟手機上的驗證器 App，輸入目前顯示的 6 位數字。"), _("請輸入 6 位數字。"),
        inputmode="numeric",
    )
    accepts = ("totp",)
    invalid = _("請輸入 6 位數字。")


class RemoveSecondFactorForm(SecondFactorForm):
    """Turning the second factor off: the current password and a current code, in the same request."""

    password = password_field(_("目前的密碼"), "current-password")
    field_order = ["password", "code"]


class ForgotPasswordForm(AccessibleFormMixin, CaptchaFormMixin, forms.Form):
    national_id = IdNumberField(help_text=_("請輸入身分證號碼(居留證號碼)"), autocomplete="username",
                                error_messages=ID_ERRORS)
    birth_date = birth_date_field(_("出生年月日"))


def check_new_password(form, cleaned, person):
    """password1 and password2 typed alike, and password1 within the policy for `person` (whose name, ID
    number and birth date it may not contain): each problem on its field."""
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if first and second and first != second:
        form.add_error("password2", forms.ValidationError(gettext("兩次輸入的密碼不一致。"), code="mismatch"))
    elif first:
        try:
            validate_password(first, person)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class NewPasswordForm(AccessibleFormMixin, CaptchaFormMixin, forms.Form):
    """B-2 重置密碼: password twice + captcha. `user` is whose password it will be."""

    password1 = password_field(_("密碼"), "new-password")
    password2 = password_field(_("再次輸入密碼"), "new-password")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, self.user)
        return cleaned


class SignUpForm(AccessibleFormMixin, CaptchaFormMixin, forms.Form):
    national_id = IdNumberField(help_text=_("身分證字號或居留證號碼，將作為登入帳號；沒有居留證的外籍人士，"
                                            "請填國籍代碼加護照號碼，例如 JPN TR1234567"), autocomplete="username",
                                error_messages=ID_ERRORS)
    name = column(User, "name", error_messages=_text_errors(_("姓名"), max_length(User, "name")))
    birth_date = birth_date_field(_("出生年月日"))
    email = column(
        User, "email", required=True,
        help_text=_("我們會寄驗證信到這個信箱；完成驗證後才能登入。忘記密碼時，重置連結也會寄到這裡。"),
        error_messages={**_text_errors(_("電子信箱"), max_length(User, "email")),
                        "invalid": _("電子信箱格式不正確，例如 name@example.com。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(label=_("電話"), help_text=_("手機或市話，例如 0912345678"),
                       error_messages=_text_errors(_("電話"), max_length(User, "phone")))
    password1 = password_field(_("密碼"), "new-password")
    password2 = password_field(_("再次輸入密碼"), "new-password")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name or any(not ch.isprintable() for ch in name):
            raise forms.ValidationError(gettext("姓名含有無法使用的字元。"), code="invalid_name")
        return name

    def clean(self):
        cleaned = super().clean()
        person = User(national_id=cleaned.get("national_id") or "", name=cleaned.get("name") or "",
                      birth_date=cleaned.get("birth_date"))
        check_new_password(self, cleaned, person)
        return cleaned


class ChangePasswordForm(NewPasswordForm):
    """A signed-in user changing a password they know: the current one first."""

    current_password = password_field(_("目前的密碼"), "current-password")
    field_order = ["current_password", "password1", "password2"]
    error_field_map = {"password": "current_password"}  # services.confirm_password's error

    # The current password is checked by services.change_own_password, where a wrong one counts toward
    # the lockout.
