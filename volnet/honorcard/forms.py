"""The forms of the 榮譽卡優惠場所 pages: a venue's entry, its end, the Excel upload. Their limits are the model's
columns (`volnet.forms.column`); the rules of a venue are `venues.problems`, shown next to their fields."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volnet.forms import AccessibleFormMixin, PhoneField, RocDateField, column
from volnet.honorcard import venues
from volnet.honorcard.models import CITIES, Venue


class VenueForm(AccessibleFormMixin, forms.Form):
    name = column(Venue, "name")
    city = forms.ChoiceField(label=gettext_lazy("縣市"), choices=[("", "—"), *((c, c) for c in CITIES)])
    district = column(Venue, "district", help_text=gettext_lazy("例如 西區"))
    category = forms.ChoiceField(label=gettext_lazy("類別"), choices=[("", "—"), *Venue.Category.choices])
    benefit = column(Venue, "benefit", help_text=gettext_lazy("例如 持卡本人免費入館"))
    address = column(Venue, "address")
    phone = PhoneField(label=gettext_lazy("電話"), required=False, autocomplete="off")
    opening_hours = column(Venue, "opening_hours", help_text=gettext_lazy("例如 週二至週日 9:00-17:00"))
    valid_from = RocDateField(label=gettext_lazy("優惠期間起"), max_length=20)
    valid_to = RocDateField(label=gettext_lazy("優惠期間迄"), max_length=20, required=False,
                            help_text=gettext_lazy("空白表示沒有期限"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.add_problems(venues.problems(cleaned))
        return cleaned

    @classmethod
    def of(cls, venue):
        return cls(initial={key: getattr(venue, key) for key in venues.FIELDS})


class EndForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("停止優惠的原因"), max_length=venues.REASON_LENGTH)


def max_upload_bytes():
    return settings.UPLOAD_MAX_BYTES


class UploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("試算表檔案（.xlsx 或 .ods）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods"}),
        error_messages={"required": gettext_lazy("請選擇要上傳的試算表檔案（.xlsx 或 .ods）。"),
                        "empty": gettext_lazy("檔案是空的（0 位元組）。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("檔案大小 %(size).1f MB，超過上限 %(limit)s MB。請分成幾個較小的檔案上傳。")
                % {"size": upload.size / (1024 * 1024), "limit": max_upload_bytes() // (1024 * 1024)})
        self.data_bytes = upload.read()
        self.file_name = Path(upload.name or "").name[:200] or _("未命名.xlsx")
        return upload
