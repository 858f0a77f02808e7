"""The query page's filters, read from the URL (GET): 單位名稱, 服務項目, 服務時間 (an ROC range)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.forms import DrawnInput, DrawnSelect, RocDateField, RocDateInput
from volnet.lib import rocdate
from volnet.recordbook.queries import Filters


class _RangeInput(DrawnInput, RocDateInput):
    pass


def _range_input():
    # The range's one help text (#range-help) describes both boxes and shows the format: no placeholder,
    # and the volunteer pages' own width (size), not the back office's class.
    return _RangeInput(attrs={"size": "10", "aria-describedby": "range-help", "placeholder": None, "class": None})


class FilterForm(forms.Form):
    # Drawn in Python (volnet.forms): through the templates the four fields took 2.4 ms of every first view.
    unit = forms.TypedChoiceField(label=_("單位名稱"), required=False, coerce=int, empty_value=None,
                                  widget=DrawnSelect)
    item = forms.ChoiceField(label=_("服務項目"), required=False, widget=DrawnSelect)
    start = RocDateField(label=_("開始日期"), required=False, max_length=20, widget=_range_input())
    end = RocDateField(label=_("結束日期"), required=False, max_length=20, widget=_range_input())

    def __init__(self, data, *, units, items):
        super().__init__(data)
        self.fields["unit"].choices = [("", gettext("全部單位"))] + [(str(pk), label) for pk, label in units]
        self.fields["unit"].error_messages["invalid_choice"] = gettext("請從清單中選擇單位。")
        self.fields["item"].choices = [("", gettext("全部項目"))] + [(item, item) for item in items]
        self.fields["item"].error_messages["invalid_choice"] = gettext("請從清單中選擇服務項目。")
        for name in ("start", "end"):
            self.fields[name].error_messages["max_length"] = gettext("日期太長了，格式如 115/03/01。")

    def full_clean(self):
        super().full_clean()
        for name in ("start", "end"):  # the help and, when there is one, the message beside the field
            if self.errors.get(name):
                self.fields[name].widget.attrs["aria-describedby"] = f"range-help {self[name].auto_id}_error"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                rocdate.check_order(start, end)
            except rocdate.RocDateError as error:
                self.add_error("end", str(error))
        return data

    def filters(self):
        """The valid filters; call after is_valid()."""
        data = self.cleaned_data
        return Filters(unit=data.get("unit"), item=data.get("item") or "", start=data.get("start"),
                       end=data.get("end"))
