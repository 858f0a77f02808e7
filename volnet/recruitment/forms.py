from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.forms import RocDateField
from volnet.lib import rocdate
from volnet.records.choices import SERVICE_ITEMS
from volnet.recruitment.models import Application, Posting

ROC_HELP = _("民國年/月/日，例如 115/03/01")


class PostingForm(forms.ModelForm):
    start_date = RocDateField(label=_("服務期間起"), help_text=ROC_HELP)
    end_date = RocDateField(label=_("服務期間迄"), help_text=ROC_HELP)

    class Meta:
        model = Posting
        fields = ["unit", "title", "service_item", "place", "start_date", "end_date", "quota", "requirements",
                  "description", "is_published"]
        widgets = {
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "service_item": forms.TextInput(attrs={"list": "service-items"}),
        }
        help_texts = {
            "service_item": _("可從建議中選擇，也可自行輸入。"),
            "place": _("例如：臺中市西屯區（可在家服務）。民眾可用地區搜尋。"),
            "quota": _("錄取人數達到此數時，系統不再接受錄取。"),
            "is_published": _("勾選後，所有人都能在「志工招募」看到這則訊息。"),
        }

    service_items = SERVICE_ITEMS

    def __init__(self, *args, units, accepted=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted = accepted
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.label
        self.fields["unit"].empty_label = None if units.count() == 1 else gettext("請選擇招募單位")
        self.fields["quota"].widget.attrs["min"] = 1

    def clean_quota(self):
        quota = self.cleaned_data["quota"]
        if quota is not None and quota < max(self.accepted, 1):
            raise ValidationError(
                gettext("招募人數不可少於已錄取的 %(accepted)s 人。") % {"accepted": self.accepted} if self.accepted
                else gettext("招募人數至少 1 人。")
            )
        return quota

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext("結束日期 %(end)s 早於開始日期 %(start)s，請確認。")
                           % {"end": rocdate.format(end), "start": rocdate.format(start)})
        return data


class ApplyForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 300})}
        labels = {"message": _("想對招募單位說的話")}
        help_texts = {"message": _("例如可以服務的時段、相關經驗。最多 300 字。")}


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("地區或關鍵字"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("例如：西屯區、圖書")}))
    item = forms.ChoiceField(label=_("服務項目"), required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", gettext("全部服務項目"))] + [(item, item) for item in items]
