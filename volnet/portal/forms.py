from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volnet.accounts import profile as account_profile
from volnet.accounts.models import User
from volnet.forms import AccessibleFormMixin, PhoneField, column
from volnet.records.models import CorrectionRequest


class ContactForm(AccessibleFormMixin, forms.Form):
    error_field_map = {"password": "current_password"}  # accounts.services.confirm_password's error

    phone = PhoneField(label=gettext_lazy("電話"), required=False)
    address = column(User, "address", widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    emergency_contact = column(User, "emergency_contact", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    emergency_phone = PhoneField(label=gettext_lazy("緊急聯絡電話"), required=False, autocomplete="off")
    email = column(
        User, "email",
        help_text=gettext_lazy("變更後會寄一封驗證信到新信箱，點選信中的連結後才會生效。忘記密碼時，重設連結會寄到這個信箱。"),
        error_messages={"invalid": gettext_lazy("電子信箱格式不正確，例如 name@example.com。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    current_password = forms.CharField(
        label=gettext_lazy("目前的密碼"), required=False, strip=False, max_length=128,
        help_text=gettext_lazy("變更電話或電子信箱時，請輸入目前的密碼。只修改地址或緊急聯絡人時不必輸入。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.needs_password = False
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = gettext_lazy("內容太長，最多 %(limit_value)d 個字。")

    def clean(self):
        cleaned = super().clean()
        self.needs_password = not self.errors and bool(account_profile.fields_needing_password(self.user, cleaned))
        if self.needs_password and not cleaned.get("current_password"):
            self.add_error("current_password", _("請輸入目前的密碼，才能變更電話或電子信箱。"))
        return cleaned

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if not email and self.user.email:
            raise forms.ValidationError(_("請填寫電子信箱。若要刪除信箱，請洽您的運用單位。"))
        return email


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("上傳新的大頭照"),
        help_text=gettext_lazy("JPEG 或 PNG，5 MB 以內。系統會裁成 3:4 的證件照比例，並移除拍攝地點等資料。"),
        error_messages={"required": gettext_lazy("請選擇要上傳的照片。"),
                        "empty": gettext_lazy("這個檔案是空的，請重新選擇。")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class CorrectionForm(AccessibleFormMixin, forms.Form):
    """申請更正: what is wrong in the record and what it should say (records.corrections.request_correction)."""

    wrong = column(CorrectionRequest, "wrong", required=True, widget=forms.Textarea(attrs={"rows": 3}),
                   help_text=gettext_lazy("例如：服務日期應為 3 月 2 日，不是 3 月 1 日。"))
    should_be = column(CorrectionRequest, "should_be", required=True, widget=forms.Textarea(attrs={"rows": 3}),
                       help_text=gettext_lazy("例如：服務日期 115/03/02，時數 3 小時。"))


class MyDataForm(AccessibleFormMixin, forms.Form):
    """我的資料下載 asks for the password again: whoever holds a session left open must not carry everything off."""

    password = forms.CharField(
        label=gettext_lazy("目前的密碼"), strip=False, max_length=128,
        error_messages={"required": gettext_lazy("請輸入目前的密碼。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
