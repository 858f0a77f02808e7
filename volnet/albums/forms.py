from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volnet.albums.models import Album, Photo
from volnet.albums.services import MAX_FILES, max_bytes
from volnet.forms import RocDateField, column


class AlbumForm(forms.ModelForm):
    taken_on = RocDateField(label=gettext_lazy("活動日期"), required=False)

    class Meta:
        model = Album
        fields = ["unit", "title", "taken_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}  # maxlength: the column's

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.label
        self.fields["unit"].empty_label = None if units.count() == 1 else _("請選擇單位")
        self.fields["unit"].help_text = _("只有這個單位的服務中志工看得到相簿。")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one <input type=file multiple>; each is checked by albums.services.process."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            raise forms.ValidationError(_("請選擇要上傳的相片。"), code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多上傳 %(limit)s 張相片，您選了 %(count)s 張。")
                                        % {"limit": MAX_FILES, "count": len(files)}, code="too_many")
        return files


class UploadForm(forms.Form):
    photos = MultiplePhotoField(label=gettext_lazy("選擇相片"))
    caption = column(
        Photo, "caption", label=gettext_lazy("相片說明"),
        help_text=gettext_lazy("會成為看不到圖片的人聽到的說明，例如「結業合影」。上傳後也可以逐張修改。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per form, in the language of the request (a lazy string would be formatted at import).
        self.fields["photos"].help_text = _(
            "可一次選多張（最多 %(files)s 張）；JPEG 或 PNG，每張不超過 %(megabytes)s MB。"
            "上傳時會移除拍攝地點等隱藏資訊。"
        ) % {"files": MAX_FILES, "megabytes": max_bytes() // 1024 // 1024}


class CaptionForm(forms.Form):
    caption = column(Photo, "caption", label=gettext_lazy("相片說明"), help_text="")
