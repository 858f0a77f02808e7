"""The desk's forms: a unit's registration, its status, a staff invitation and a role's end. Their limits are
the model's columns; the rules (a code already used, a merge into a closed unit, who appoints whom) are
`desk.services`', shown with `add_domain_error`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from volnet.forms import AccessibleFormMixin, IdNumberField, PhoneField, RocDateField
from volnet.units.models import Authority, StaffRole, Unit

DATE_HELP = _("民國年月日，例如 115/01/31。")


class UnitForm(AccessibleFormMixin, forms.ModelForm):
    phone = PhoneField(label=_("電話"), required=False, autocomplete="off")

    class Meta:
        model = Unit
        fields = ["code", "name", "parent", "category", "sector_authority", "public_body", "district", "address",
                  "contact_name", "phone", "email"]
        help_texts = {
            "code": _("在全系統中不可重複，例如 2-299。"),
            "public_body": _("依志願服務法第七條，政府機關與公立學校每年提出成果報告即可。"),
            "district": _("單位所在的鄉鎮市區，例如 西屯區；統計依此分區。"),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = True
        self.fields["parent"].queryset = units.exclude(pk=self.instance.pk).order_by("code")
        self.fields["sector_authority"].queryset = Authority.objects.filter(kind=Authority.Kind.SECTOR)

    def _post_clean(self):
        """The rules are the service's (desk.services.save_unit): no model validation here, so a code already
        used is one message from one place."""


class UnitStatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("單位狀態"), choices=Unit.Status.choices, widget=forms.RadioSelect)
    closed_on = RocDateField(label=_("結束運作日期"), required=False, help_text=DATE_HELP)
    successor = forms.ModelChoiceField(label=_("併入單位"), queryset=Unit.objects.none(), required=False,
                                       help_text=_("狀態為「已併入其他單位」時必填。"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = units.order_by("code")


class InviteStaffForm(AccessibleFormMixin, forms.Form):
    national_id = IdNumberField(css_class="input-id")
    role = forms.ChoiceField(label=_("角色"), widget=forms.RadioSelect)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, StaffRole.Role(role).label) for role in roles]


class EndRoleForm(AccessibleFormMixin, forms.Form):
    ended_on = RocDateField(label=_("卸任日期"), help_text=DATE_HELP)
    reason = forms.CharField(label=_("卸任原因"), max_length=200)
