"""Forms of the volunteer pages (志工管理). Record forms live in records/forms.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.forms import AccessibleFormMixin, IdNumberField, PhoneField, RocDateField, column
from volnet.units.models import Membership

User = get_user_model()

SEX_CHOICES = [("", _("不填"))] + [(value, label) for value, label in User.Sex.choices]


class LookupForm(AccessibleFormMixin, forms.Form):
    # Staff type someone else's number: no autofill; `input-id` is the back office's width for it.
    national_id = IdNumberField(
        help_text=_("已有帳號的志工會收到加入邀請，本人同意後才加入本單位；不會重複建立帳號。"),
        autocomplete="off", css_class="input-id",
    )


class EnrolForm(AccessibleFormMixin, forms.Form):
    national_id = IdNumberField(widget=forms.HiddenInput)
    joined_on = RocDateField(label=_("加入日期"), required=False, help_text=_("留空為今天。"))
    volunteer_number = column(Membership, "volunteer_number", help_text=_("單位自訂的編號，可留空。"))


class NewVolunteerForm(EnrolForm):
    DELIVERY_CHOICES = [
        ("show", _("在畫面上顯示臨時密碼（只顯示一次），由我轉告志工")),
        ("mail", _("寄送設定密碼的連結到志工的電子信箱（30 分鐘內有效）")),
    ]

    name = column(User, "name")
    birth_date = RocDateField(label=_("出生年月日"), help_text=_("民國年月日，例如 070/05/20；忘記密碼時需要它。"))
    sex = forms.ChoiceField(label=_("性別"), choices=SEX_CHOICES, required=False)
    email = forms.EmailField(label=_("電子信箱"), required=False,
                             help_text=_("忘記密碼的重設連結會寄到這裡；沒有可留空，之後再補。"))
    phone = PhoneField(label=_("電話"), required=False, autocomplete="off")
    delivery = forms.ChoiceField(label=_("密碼通知方式"), choices=DELIVERY_CHOICES, initial="show",
                                 widget=forms.RadioSelect)

    field_order = ["national_id", "name", "birth_date", "sex", "email", "phone", "joined_on", "volunteer_number",
                   "delivery"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == "mail" and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", gettext("要寄送設定密碼的連結，請填寫電子信箱；或改為在畫面上顯示臨時密碼。"))
        return cleaned


class ContactForm(AccessibleFormMixin, forms.Form):
    name = column(User, "name")
    birth_date = RocDateField(label=_("出生年月日"), help_text=_("民國年月日，例如 070/05/20。"))
    sex = forms.ChoiceField(label=_("性別"), choices=SEX_CHOICES, required=False)
    email = forms.EmailField(label=_("電子信箱"), required=False,
                             help_text=_("忘記密碼的重設連結會寄到這裡。改了之後，新的信箱要重新驗證。"))
    phone = PhoneField(label=_("電話"), required=False, autocomplete="off")
    address = column(User, "address")
    emergency_contact = column(User, "emergency_contact")
    emergency_phone = PhoneField(label=_("緊急聯絡電話"), required=False, autocomplete="off")


class EndMembershipForm(AccessibleFormMixin, forms.Form):
    left_on = RocDateField(label=_("離隊日期"), help_text=_("民國年月日，例如 115/03/31。"))


class RosterForm(AccessibleFormMixin, forms.Form):
    """What the 志工名冊 download holds: its format, whether those who left are listed, and the full ID."""

    format = forms.ChoiceField(label=_("檔案格式"), initial="xlsx", widget=forms.RadioSelect,
                               choices=[("xlsx", _("Excel（.xlsx）")), ("ods", _("ODF 試算表（.ods）"))])
    include_ended = forms.BooleanField(label=_("包含已離隊的志工"), required=False)
    full_id = forms.BooleanField(
        label=_("匯出完整身分證號碼"), required=False,
        help_text=_("預設只顯示前 6 碼（後 4 碼遮蔽）。向主管機關申請紀錄冊等需要完整號碼時才勾選；"
                    "每次下載都記錄在稽核紀錄。"),
    )
