"""The statistics filters, read from the query string: a 民國 year, a unit category, a city (an authority of
the reader's area) and a unit of the area. What is wrong is said plainly and left out; the rest still applies."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volnet.units.choices import ServiceCategory
from volnet.units.models import Authority

FIRST_YEAR = 2001  # 志願服務法 (民國90年)


class FilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度（民國）"), required=False, min_value=-10**6, max_value=10**6)
    category = forms.ChoiceField(label=_("服務類別"), required=False,
                                 choices=[("", _("全部類別")), *ServiceCategory.choices])
    city = forms.IntegerField(label=_("縣市（主管機關）"), required=False, min_value=1, max_value=2**31 - 1)
    unit = forms.IntegerField(label=_("單位"), required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, data, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.units = units
        self.fields["category"].error_messages["invalid_choice"] = _("沒有「%(value)s」這個服務類別。")

    def clean_year(self):
        roc = self.cleaned_data["year"]
        if roc is None:
            return timezone.localdate().year
        if not FIRST_YEAR <= roc + 1911 <= timezone.localdate().year:
            raise forms.ValidationError(_("沒有 %(year)s 這個年度：請選民國 90 年到今年之間的年度。"),
                                        params={"year": roc})
        return roc + 1911

    def clean_city(self):
        city = self.cleaned_data["city"]
        if city is not None and not self.units.filter(authority_id=city).exists():
            raise forms.ValidationError(_("這個縣市不在您的轄區，或沒有單位。"))
        return city and Authority.objects.get(pk=city)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if unit is not None and not self.units.filter(pk=unit).exists():
            raise forms.ValidationError(_("這個單位不在您的轄區。"))
        return unit and self.units.get(pk=unit)

    def choices(self):
        """What the page filters by: the valid fields; today's year for a missing or impossible one."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        data["year"] = data["year"] or timezone.localdate().year
        return data
