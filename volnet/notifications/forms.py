from django import forms
from django.utils.translation import gettext_lazy as _

from volnet.forms import AccessibleFormMixin
from volnet.notifications.models import SECURITY_KINDS, Kind


class MailPreferencesForm(AccessibleFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("寄通知信給我"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind, label) for kind, label in Kind.choices if kind not in SECURITY_KINDS])
