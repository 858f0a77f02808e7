"""Forms for what staff enter: service hours, training, insurance, other items, awards.

The forms only read what was typed (ROC dates, hours with one decimal, amounts with commas); the rules
come from `records.services`, so a form, the monthly grid and the services agree on every refusal.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from volnet.forms import AccessibleFormMixin, RocDateField, column
from volnet.lib import hours as hours_lib
from volnet.lib import masking
from volnet.records import services
from volnet.records.choices import SERVICE_ITEMS, ServiceCategory
from volnet.records.models import Award, InsurancePolicy, OtherItem, ServiceRecord, TrainingRecord
from volnet.units.models import Membership


class HoursField(forms.Field):
    """Service hours: more than 0, within the limits of the hours column (one decimal: `3.5`).

    `max_digits` and `decimal_places` are what a model's DecimalField hands its form field
    (`column(ServiceRecord, "hours", form_class=HoursField)`); left out, they are ServiceRecord.hours's."""

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                           "class": "input-hours"}))
        super().__init__(**kwargs)
        self.max_digits = max_digits or services.HOURS_COLUMN.max_digits
        self.decimal_places = services.HOURS_COLUMN.decimal_places if decimal_places is None else decimal_places

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip().replace("，", ".").replace("．", ".")
        if not text:
            return None
        try:
            return hours_lib.parse_hours(text, places=self.decimal_places, max_digits=self.max_digits)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid_hours") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return hours_lib.format_hours(value)
        return value


class AmountField(forms.Field):
    """A sum in NT dollars; `1,000,000` and `100萬` are not the same thing, so only digits and commas."""

    LIMIT = 2_000_000_000  # what the column holds, with room to spare

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        # zh-only: 元 (NT dollars) typed after a sum is input to strip, not a word to show
        text = str(value or "").strip().replace(",", "").replace("，", "").replace("元", "")
        if not text:
            return 0
        if not text.isascii() or not text.isdigit():
            raise forms.ValidationError(gettext("金額請只輸入數字，例如 1,000,000。"), code="invalid_amount")
        if int(text) > self.LIMIT:
            raise forms.ValidationError(gettext("金額過大，請確認。"), code="amount_too_large")
        return int(text)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}"
        return value


class DatalistInput(forms.TextInput):
    """A text box that suggests the usual values and still accepts anything typed."""

    template_name = "records/widgets/datalist.html"

    def __init__(self, options, list_id, attrs=None):
        super().__init__({"list": list_id, "autocomplete": "off", **(attrs or {})})
        self.options = list(options)
        self.list_id = list_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = self.options
        context["widget"]["list_id"] = self.list_id
        return context


def person_label(person, hide_name=False):
    return masking.person_label(person.name, person.national_id, hide_name)


class PersonChoiceField(forms.ModelChoiceField):
    """`masked`: ids of people who have not accepted the unit; their names are masked (domain.md §9.12)."""

    masked = frozenset()

    def label_from_instance(self, obj):
        if obj.pk in self.masked:
            return gettext("%(person)s（待志工同意）") % {"person": person_label(obj, hide_name=True)}
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


def _people(volunteers, *extra):
    """The choosable people: the given queryset plus people already on the record (e.g. who has left)."""
    User = get_user_model()
    ids = set(volunteers.values_list("pk", flat=True)) | {p.pk for p in extra if p is not None}
    return User.objects.filter(pk__in=ids).order_by("name", "national_id")


def unaccepted(unit, people):
    """Ids among `people` whose membership of `unit` is a request not (or not yet) accepted."""
    rows = list(Membership.objects.filter(unit=unit, volunteer__in=people).values_list("volunteer_id", "status"))
    accepted = {pk for pk, status in rows if status in Membership.ACCEPTED}
    return frozenset({pk for pk, _status in rows} - accepted)


def _text(value):
    return (value or "").strip()


class VolunteerRecordForm(AccessibleFormMixin, forms.Form):
    """A form about one volunteer's record, entered by `unit`: the volunteer is picked among `volunteers`
    (plus whoever is already on the record), and editing starts from the record's values."""

    volunteer = PersonChoiceField(label=_("志工"), queryset=get_user_model().objects.none(),
                                  empty_label=_("請選擇志工"))
    record_fields = ()

    def __init__(self, *args, unit, volunteers, record=None, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(record)
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.record = record
        people = _people(volunteers, record.volunteer if record else None)
        self.fields["volunteer"].queryset = people
        self.fields["volunteer"].masked = unaccepted(unit, people)

    def initial_for(self, record):
        return {name: getattr(record, name) for name in self.record_fields}


class ServiceRecordForm(VolunteerRecordForm):
    record_fields = services.SERVICE_FIELDS
    service_item = column(ServiceRecord, "service_item", widget=DatalistInput(SERVICE_ITEMS, "service-items"),
                          help_text=_("可從建議中選擇，也可自行輸入。"))
    content = column(ServiceRecord, "content")
    start_date = RocDateField(label=_("服務起日"), help_text=_("民國年月日，例如 115/03/01 或 1150301。"))
    end_date = RocDateField(label=_("服務迄日"), required=False, help_text=_("只服務一天可留空。"))
    hours = HoursField(label=_("服務時數"), help_text=_("最多一位小數，例如 3.5；每一天最多 24 小時。"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.add_problems(services.service_problems(
                unit=self.unit, exclude_pk=self.record.pk if self.record else None, awaiting_allowed=True,
                **self.values(),
            ))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "volunteer": data.get("volunteer"),
            "service_item": _text(data.get("service_item")),
            "content": _text(data.get("content")),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date") or data.get("start_date"),
            "hours": data.get("hours"),
        }


class TrainingRecordForm(VolunteerRecordForm):
    error_field_map = {"minutes": "duration_hours"}

    kind = forms.ChoiceField(label=_("訓練類別"), choices=[("", _("請選擇"))] + list(TrainingRecord.Kind.choices))
    category = forms.ChoiceField(
        label=_("特殊訓練類別"), required=False,
        choices=[("", _("（基礎訓練免填）"))] + list(ServiceCategory.choices),
        help_text=_("特殊訓練必須選擇服務類別；跨類別服務需要該類別的特殊訓練。"),
    )
    course = column(TrainingRecord, "course")
    organiser = column(TrainingRecord, "organiser")
    start_date = RocDateField(label=_("訓練起日"), help_text=_("民國年月日，例如 110/05/10。"))
    end_date = RocDateField(label=_("訓練迄日"), required=False, help_text=_("只有一天可留空。"))
    sessions = forms.IntegerField(label=_("訓練次數"), min_value=1, max_value=999, initial=1,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    duration_hours = forms.IntegerField(label=_("小時"), min_value=0, max_value=9999, required=False,
                                        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-short"}))
    duration_minutes = forms.IntegerField(label=_("分鐘"), min_value=0, max_value=59, required=False,
                                          widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                        "class": "input-short"}))
    certificate_number = column(TrainingRecord, "certificate_number")

    def initial_for(self, record):
        initial = {name: getattr(record, name) for name in services.TRAINING_FIELDS if name != "minutes"}
        initial["duration_hours"], initial["duration_minutes"] = divmod(record.minutes, 60)
        return initial

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = self.values()
            values.pop("certificate_number")
            self.add_problems(services.training_problems(**values))
        return cleaned

    def values(self):
        data = self.cleaned_data
        kind = data.get("kind")
        return {
            "volunteer": data.get("volunteer"),
            "kind": kind,
            "category": (data.get("category") or "") if kind == TrainingRecord.Kind.SPECIAL else "",
            "course": _text(data.get("course")),
            "organiser": _text(data.get("organiser")),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "sessions": data.get("sessions") or 1,
            "minutes": (data.get("duration_hours") or 0) * 60 + (data.get("duration_minutes") or 0),
            "certificate_number": _text(data.get("certificate_number")),
        }


class InsurancePolicyForm(AccessibleFormMixin, forms.Form):
    insurer = column(InsurancePolicy, "insurer")
    policy_number = column(InsurancePolicy, "policy_number")
    start_date = RocDateField(label=_("保險起日"), help_text=_("民國年月日，例如 115/01/01。"))
    end_date = RocDateField(label=_("保險迄日"))
    accident_sum = AmountField(label=_("意外險保額（元）"), required=False)
    medical_sum = AmountField(label=_("醫療險保額（元）"), required=False)
    note = column(InsurancePolicy, "note")
    volunteers = PeopleChoiceField(
        label=_("被保險的志工"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("勾選這張保單涵蓋的志工，一張保單可勾選多位。"),
    )

    def __init__(self, *args, unit, volunteers, policy=None, **kwargs):
        insured = list(policy.volunteers.all()) if policy is not None else []
        if policy is not None and "initial" not in kwargs:
            initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
            initial["volunteers"] = [p.pk for p in insured]
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.policy = policy
        self.fields["volunteers"].queryset = _people(volunteers, *insured)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = self.values()
            self.add_problems(services.policy_problems(
                unit=self.unit, exclude_pk=self.policy.pk if self.policy else None,
                **{k: values[k] for k in ("insurer", "policy_number", "start_date", "end_date", "volunteers")},
            ))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "insurer": _text(data.get("insurer")),
            "policy_number": _text(data.get("policy_number")),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "accident_sum": data.get("accident_sum") or 0,
            "medical_sum": data.get("medical_sum") or 0,
            "note": _text(data.get("note")),
            "volunteers": list(data.get("volunteers") or []),
        }


class OtherItemForm(VolunteerRecordForm):
    record_fields = services.OTHER_ITEM_FIELDS
    title = column(OtherItem, "title", help_text=_("例如：幹部經歷、特殊事蹟、志工證發放。"))
    content = column(OtherItem, "content", widget=forms.Textarea(attrs={"rows": 3}))
    start_date = RocDateField(label=_("日期"), help_text=_("民國年月日，例如 114/02/02。"))
    end_date = RocDateField(label=_("迄日"), required=False, help_text=_("沒有迄日可留空。"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = self.values()
            values.pop("content")
            self.add_problems(services.other_item_problems(**values))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "volunteer": data.get("volunteer"),
            "title": _text(data.get("title")),
            "content": _text(data.get("content")),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
        }


class AwardForm(VolunteerRecordForm):
    record_fields = services.AWARD_FIELDS
    kind = forms.ChoiceField(label=_("獎勵類別"), choices=[("", _("請選擇"))] + list(Award.Kind.choices))
    name = column(Award, "name", help_text=_("例如：志願服務績優銅牌獎、志願服務獎章。"))
    level = column(Award, "level", help_text=_("例如：銅質、三等。"))
    awarded_on = RocDateField(label=_("頒發日期"), help_text=_("民國年月日，例如 113/10/05。"))
    granted_by = column(Award, "granted_by")
    certificate_number = column(Award, "certificate_number")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = self.values()
            self.add_problems(services.award_problems(
                **{k: values[k] for k in ("volunteer", "kind", "name", "awarded_on", "granted_by")}
            ))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "volunteer": data.get("volunteer"),
            "kind": data.get("kind"),
            "name": _text(data.get("name")),
            "level": _text(data.get("level")),
            "awarded_on": data.get("awarded_on"),
            "granted_by": _text(data.get("granted_by")),
            "certificate_number": _text(data.get("certificate_number")),
        }


class DeleteForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("刪除原因"), max_length=200, required=False,
                             help_text=_("例如：重複登錄、登錯志工。會留在修改歷程中。"))


class SelfReportForm(AccessibleFormMixin, forms.Form):
    """What a volunteer fills in to report hours to one of their units."""

    unit = forms.ModelChoiceField(label=_("服務運用單位"), queryset=None, empty_label=_("請選擇單位"))
    service_item = column(ServiceRecord, "service_item", widget=DatalistInput(SERVICE_ITEMS, "service-items"),
                          help_text=_("可從建議中選擇，也可自行輸入。"))
    content = column(ServiceRecord, "content", help_text=_("例如：電話問安、圖書整理。"))
    start_date = RocDateField(label=_("服務日期（起）"), help_text=_("民國年月日，例如 115/03/01 或 1150301。"))
    end_date = RocDateField(label=_("服務日期（迄）"), required=False, help_text=_("只服務一天可留空。"))
    hours = HoursField(label=_("服務時數"), help_text=_("只算實際服務的時間，不含交通；最多一位小數，例如 2.5。"))

    def __init__(self, *args, volunteer, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteer = volunteer
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.label
        if units.count() == 1 and not self.is_bound:
            self.initial.setdefault("unit", units.first().pk)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = self.values()
            self.add_problems(services.service_problems(volunteer=self.volunteer, **values))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "unit": data.get("unit"),
            "service_item": _text(data.get("service_item")),
            "content": _text(data.get("content")),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date") or data.get("start_date"),
            "hours": data.get("hours"),
        }


# ---------------------------------------------------------------------------------------------------
# 每月時數登錄: the common values of the month, and one small form per volunteer. The limits of every
# box are ServiceRecord's columns; the rules are `services.add_services`'s.

_ITEM_TOO_LONG = {"max_length": _("服務項目最多 %(limit_value)s 字。")}
_CONTENT_TOO_LONG = {"max_length": _("服務內容最多 %(limit_value)s 字。")}


class GridDefaultsForm(AccessibleFormMixin, forms.Form):
    """The dates every row is entered for, and the item and content a row left empty takes."""

    start = RocDateField(label=_("服務起日"), required=False)
    end = RocDateField(label=_("服務迄日"), required=False)
    item = column(ServiceRecord, "service_item", required=False, label=_("預設服務項目"),
                  error_messages=_ITEM_TOO_LONG)
    content = column(ServiceRecord, "content", required=False, label=_("預設服務內容"),
                     error_messages=_CONTENT_TOO_LONG)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" not in self.errors and "end" not in self.errors:
            for key, message in services.date_problems(start, end or start, timezone.localdate(),
                                                       start_field="start", end_field="end").items():
                self.add_error(key, message)
        cleaned["end"] = end or start
        return cleaned

    def typed(self, name):
        """What was typed in a default box, valid or not: a row that is empty there takes it."""
        return (self.data.get(self.add_prefix(name)) or "").strip()


class GridRowForm(AccessibleFormMixin, forms.Form):
    """One volunteer's row: hours, and the item and content when they differ from the defaults.

    The boxes are named `h-<volunteer id>`, `item-<id>` and `content-<id>` (the page's ids too)."""

    BOX = {"hours": "h", "service_item": "item", "content": "content"}

    hours = column(ServiceRecord, "hours", form_class=HoursField, required=False)
    service_item = column(ServiceRecord, "service_item", required=False,
                          error_messages=_ITEM_TOO_LONG)
    content = column(ServiceRecord, "content", required=False,
                     error_messages=_CONTENT_TOO_LONG)

    def __init__(self, data=None, *, membership, defaults):
        super().__init__(data, prefix=str(membership.volunteer_id), auto_id="%s")
        self.membership = membership
        self.volunteer = membership.volunteer
        self.defaults = defaults

    def add_prefix(self, field_name):
        return f"{self.BOX.get(field_name, field_name)}-{self.prefix}"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("hours") is None:
            if cleaned.get("service_item") or cleaned.get("content"):
                self.add_error("hours", gettext("請輸入時數，或清空這一列的項目與內容。"))
            return cleaned
        cleaned["service_item"] = cleaned.get("service_item") or self.defaults.typed("item")
        cleaned["content"] = cleaned.get("content") or self.defaults.typed("content")
        if not cleaned["service_item"]:
            self.add_error("service_item", gettext("請輸入服務項目（或在上方填寫預設項目）。"))
        if not cleaned["content"]:
            self.add_error("content", gettext("請輸入服務內容（或在上方填寫預設內容）。"))
        return cleaned

    def entry(self, start, end):
        """The row for `services.add_services`, or None when the row is left empty."""
        data = self.cleaned_data
        if data.get("hours") is None:
            return None
        return {"key": self.volunteer.pk, "volunteer": self.volunteer, "service_item": data["service_item"],
                "content": data["content"], "start_date": start, "end_date": end, "hours": data["hours"]}

    @property
    def cells(self):
        """{field: its first message}."""
        return {name: errors[0] for name, errors in self.errors.items() if name in self.fields}

    @property
    def problem(self):
        """What is wrong with the row as a whole (the volunteer, the dates), in one line."""
        return " ".join(self.non_field_errors())


class ServiceGridForm:
    """The whole grid: `is_valid()` reads every box, `entries()` is what `services.add_services` saves, and
    `add_record_error()` puts the rules' refusal on the rows it names. Nothing is saved unless every row
    is right, so every typed value comes back as it was."""

    def __init__(self, data=None, *, memberships, initial=None):
        self.defaults = GridDefaultsForm(data, initial=initial)
        self.rows = [GridRowForm(data, membership=m, defaults=self.defaults) for m in memberships]
        self.grid_errors = {}  # about the grid as a whole: {"rows": message}

    def is_valid(self):
        if not self.defaults.is_bound:
            return False
        valid = self.defaults.is_valid()
        valid = all([row.is_valid() for row in self.rows]) and valid  # every row is checked
        if valid and not self.entries():
            self.grid_errors["rows"] = gettext("請至少輸入一位志工的時數。")
            return False
        return valid

    def entries(self):
        start, end = self.defaults.cleaned_data["start"], self.defaults.cleaned_data["end"]
        return [entry for row in self.rows if (entry := row.entry(start, end)) is not None]

    def add_record_error(self, error):
        by_key = {row.volunteer.pk: row for row in self.rows}
        for key, problems in error.errors.items():
            if key in by_key:
                by_key[key].add_problems(problems)
        if not any(row.errors for row in self.rows):
            self.grid_errors["rows"] = error.message

    @property
    def top_errors(self):
        """{box or "rows": message} for the list above the grid."""
        found = {name: errors[0] for name, errors in self.defaults.errors.items() if name in self.defaults.fields}
        found.update(self.grid_errors)
        wrong = sum(1 for row in self.rows if row.errors)
        if wrong:
            found.setdefault("rows", ngettext("有 %(count)s 列需要修正，尚未儲存任何資料。",
                                              "有 %(count)s 列需要修正，尚未儲存任何資料。", wrong) % {"count": wrong})
        return found
