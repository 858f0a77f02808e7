"""The course pages' forms: browsing filters (from the query string); the organiser's forms live beside them."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from volnet.courses.models import Course
from volnet.forms import AccessibleFormMixin, RocDateField
from volnet.units.choices import ServiceCategory
from volnet.units.models import Authority

BASIC = "basic"


def category_choices():
    """基礎訓練 first, then each category's 特殊訓練."""
    return [("", _("全部")), (BASIC, _("基礎訓練"))] + [
        (value, _("特殊訓練：%(category)s") % {"category": label}) for value, label in ServiceCategory.choices]


class CourseFilterForm(AccessibleFormMixin, forms.Form):
    city = forms.TypedChoiceField(label=_("縣市（主管機關）"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("訓練類別"), required=False)
    start = RocDateField(label=_("上課日期起"), required=False, max_length=20,
                         help_text=_("民國年/月/日，例如 115/03/01"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = Authority.objects.filter(kind=Authority.Kind.COMPETENT).exclude(level=Authority.Level.CENTRAL)
        self.fields["city"].choices = [("", _("全部"))] + [(a.pk, a.name) for a in self.cities.order_by("code")]
        self.fields["category"].choices = category_choices()


# ------------------------------------------------------------------------------------------ the organiser's


class CourseForm(AccessibleFormMixin, forms.ModelForm):
    """A course's own fields; the organiser (a unit or an authority the user may run courses for) on a new one."""

    organiser = forms.ChoiceField(label=_("主辦單位"))
    enrol_from = RocDateField(label=_("報名開始日"), help_text=_("民國年/月/日，例如 115/03/01"))
    online_url = forms.URLField(label=_("線上課程連結"), required=False, max_length=300, assume_scheme="https",
                                help_text=_("只給報名成功的學員看。"))
    enrol_until = RocDateField(label=_("報名截止日"), help_text=_("最晚為第一場上課當天。"))

    class Meta:
        model = Course
        fields = ["kind", "category", "title", "description", "place", "online_url", "capacity", "audience",
                  "enrol_from", "enrol_until", "contact_name", "contact_phone", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "audience": forms.RadioSelect,
                   "kind": forms.RadioSelect}
        help_texts = {"category": _("特殊訓練須選擇；基礎訓練免填。"),
                      "place": _("實體課程填寫地址與教室；線上課程可只填連結。")}

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisers = organisers
        self.fields["organiser"].choices = [(key, label) for key, label, _obj in organisers]
        if self.instance.pk:
            del self.fields["organiser"]
        self.fields["category"].required = False

    def organiser_object(self):
        key = self.cleaned_data.get("organiser")
        return next((obj for k, _label, obj in self.organisers if k == key), None)


class SessionForm(AccessibleFormMixin, forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    subject = forms.CharField(label=_("課程主題"), max_length=120)
    date = RocDateField(label=_("上課日期"), help_text=_("民國年/月/日，例如 115/03/01"))
    starts_at = forms.TimeField(label=_("開始時間"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("結束時間"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    hours = forms.DecimalField(label=_("時數"), min_value=Decimal("0.5"), max_value=24, decimal_places=1,
                               help_text=_("實際上課時數，例如 2 或 1.5"))


SessionFormSet = forms.formset_factory(SessionForm, extra=0, min_num=1, max_num=30, validate_min=True,
                                       validate_max=True, absolute_max=30)


class CancelCourseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, help_text=_("會通知每位已報名與候補的學員。"))
