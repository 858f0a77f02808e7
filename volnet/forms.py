"""Form pieces every app shares: the accessibility mixin, the ID-number field, the 民國 date field, and widgets
drawn without templates for pages whose first view counts.

Built on the pure helpers in `volnet.lib` (`twid`, `rocdate`); the messages the user reads come from
there, in the reader's language. Where two pages need a field to behave differently (what the browser
may fill in, how wide the box is), that is an argument, and the call says why.
"""

import datetime as dt
import re

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.lib import rocdate, twid
from volnet.lib.text import fold_width

ID_LABEL = _("身分證號碼(居留證號碼)")


def column(model, name, **kwargs):
    """The form field of a model's column: its limits (length, digits, decimal places), its label and whether
    it may be left empty are the column's, so a form never restates them; `kwargs` add or override the rest."""
    return model._meta.get_field(name).formfield(**kwargs)


def max_length(model, name):
    """A text column's length, for a message that names it."""
    return model._meta.get_field(name).max_length


class AccessibleFormMixin:
    """The server's own messages (in the page's language) instead of the browser's bubbles, and errors
    that screen readers announce with their field.

    - No `required` attribute (it brings the browser's bubbles, in the browser's language); required
      fields say so with aria-required instead.
    - A field with an error gets aria-invalid and aria-describedby "<id>_error <id>_helptext": the error
      first, then the help text. (Django itself points an untouched field at `<id>_helptext`;
      `templates/_field.html` renders the help text under that id and the error list as `<id>_error`.)
    - `add_problems` / `add_domain_error` show the domain rules' messages (a `volnet.errors.DomainError`
      of any app) next to their fields; `error_field_map` names the field when the rules call it
      something else.
    """

    use_required_attribute = False
    # Where a DomainError about `key` is shown when the form names the field differently.
    error_field_map = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.use_required_attribute:
            return  # the `required` attribute already says it
        for field in self.fields.values():
            # aria-required is not allowed on single checkboxes and radios; their fieldset says it.
            if field.required and not getattr(field.widget, "use_fieldset", False) and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "").split()
                error_id = f"{self[name].auto_id}_error"
                if error_id not in described:
                    described.insert(0, error_id)
                help_id = f"{self[name].auto_id}_helptext"
                if self.fields[name].help_text and help_id not in described:
                    described.append(help_id)
                attrs["aria-describedby"] = " ".join(described)

    def add_problems(self, problems):
        """Show {field: message} from the rules next to the right fields (unknown fields: at the top)."""
        for key, message in problems.items():
            target = self.error_field_map.get(key, key)
            if target not in self.fields:
                target = None
            elif target in self.errors:
                continue  # that field already says what is wrong with it
            self.add_error(target, message)

    def add_domain_error(self, error):
        """Show a refused action (volnet.errors.DomainError) on this form: next to its field when the form
        has that field, else at the top. A batch's error (records.services.RecordError with `errors`) brings
        the problems of the whole form under the key None."""
        batch = getattr(error, "errors", None)
        problems = batch.get(None) if batch else None
        self.add_problems(problems or {error.field: error.message})


class IdNumberField(forms.CharField):
    """身分證字號 or 居留證號: spaces and full-width characters folded, case ignored, checksum checked.

    `autocomplete` differs by page on purpose: "username" where people type their own number to sign in
    (the browser may fill it in), "off" where staff type other people's. `css_class` sizes the box where
    the page's stylesheet has a class for it (the back office's `input-id`).
    """

    def __init__(self, *, autocomplete="off", css_class=None, **kwargs):
        kwargs.setdefault("label", ID_LABEL)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        if not self.widget.is_hidden:
            self.widget.attrs.update({"autocomplete": autocomplete, "autocapitalize": "characters",
                                      "spellcheck": "false"})
            if css_class:
                self.widget.attrs["class"] = css_class

    def to_python(self, value):
        return twid.normalize(super().to_python(value))

    def clean(self, value):
        value = super().clean(value)
        try:
            return twid.validate(value)
        except twid.IdNumberError as error:
            raise forms.ValidationError(str(error), code="invalid_id") from None


_PHONE_CHARACTERS = re.compile(r"^[0-9+()# -]+$")


class PhoneField(forms.CharField):
    """A mobile or landline number as people write it: `0912-345-678`, `(04)2222-3333`,
    `+886 912 345 678`, `04-2222-3333#12`, full-width characters folded. 7 to 15 digits: a local number
    without its area code, up to the longest international one.

    `autocomplete` is "tel" where people type their own number, "off" where staff type someone else's.
    """

    def __init__(self, *, autocomplete="tel", **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel",
                                                           "autocomplete": autocomplete}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return fold_width(super().to_python(value)).strip()

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE_CHARACTERS.match(value) or not 7 <= digits <= 15:
            raise forms.ValidationError(
                gettext("%(label)s請填寫數字，例如 04-2222-3333 或 0912-345-678。") % {"label": self.label},
                code="invalid_phone")


class RocDateInput(forms.TextInput):
    """A text box for a 民國 date; a stored date is shown as `114/02/02`.

    The defaults suit staff typing dates of records (no autofill, the back office's date width); `attrs`
    override them one by one, and None drops one.
    """

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("例：114/02/02"), "autocomplete": "off", "class": "input-date"}
        merged = {**defaults, **(attrs or {})}
        super().__init__({key: value for key, value in merged.items() if value is not None})

    def format_value(self, value):
        if hasattr(value, "year"):
            return rocdate.format(value)
        return super().format_value(value)


class RocDateField(forms.CharField):
    """A 民國 date: `114/02/02`, `1140202`, `114年2月2日` or `99/5/1`; None when left empty.

    A CharField, so `max_length` and the text errors (`required`, `max_length`,
    `null_characters_not_allowed`) work as on any text box: they judge the text typed, before it is read
    as a date.
    """

    widget = RocDateInput

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        super().run_validators(text)  # the limits of the text itself, before it is read as a date
        try:
            return rocdate.parse(text)
        except rocdate.RocDateError as error:
            raise forms.ValidationError(str(error), code="invalid_date") from None

    def run_validators(self, value):
        """Nothing to do on the date: the validators have judged the text, in to_python."""


# ---------------------------------------------------------------- widgets drawn in Python


class DrawnInput:
    """Mixed into an Input widget: the markup of Django's input.html (type, name, value, then the attributes),
    drawn in Python instead of through the form renderer's three templates, about a tenth of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = {} if widget["value"] is None else {"value": str(widget["value"])}
        return format_html('<input type="{}" name="{}"{}>', widget["type"], widget["name"],
                           flatatt({**shown, **widget["attrs"]}))


class DrawnSelect(forms.Select):
    """A Select whose markup (Django's select.html and one select_option.html per option, without optgroups) is
    drawn in Python: the record book's 服務項目 list of a dozen items took 1.5 ms through the templates, a tenth
    of the page's first view (bench_firstview)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [option for group, choices, _index in widget["optgroups"] for option in choices]
        if any(group for group, _choices, _index in widget["optgroups"]):
            raise ValueError("DrawnSelect draws no optgroups")
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]),
                           format_html_join("", '\n  <option value="{}"{}>{}</option>',
                                            ((str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options)))
