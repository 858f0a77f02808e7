from django import forms
from django.utils.translation import gettext_lazy as _

from volnet.forms import AccessibleFormMixin, RocDateField
from volnet.reports.models import ResultsReport, ServicePlan

DATE_HELP = _("民國年月日，例如 115/01/01。")


def _text(name, help_text=""):
    return forms.CharField(label=ServicePlan._meta.get_field(name).verbose_name, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text)


class PlanForm(AccessibleFormMixin, forms.Form):
    recruitment = _text("recruitment", _("招募對象、人數與方式。"))
    training = _text("training", _("基礎訓練、特殊訓練與在職訓練的安排。"))
    management = _text("management", _("運用、督導、考核、獎勵與保險的安排。"))
    service_items = _text("service_items", _("服務項目與內容。"))
    period_start = RocDateField(label=_("計畫起日"), help_text=DATE_HELP)
    period_end = RocDateField(label=_("計畫迄日"), help_text=DATE_HELP)


class ReportForm(AccessibleFormMixin, forms.Form):
    explanation = forms.CharField(
        label=_("說明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("數字由系統的紀錄計算，不需重打；如有需要說明之處（例如尚未登錄的時數），請寫在這裡。"))


class ReviewForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), required=False,
                             max_length=ResultsReport._meta.get_field("return_reason").max_length,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("退回時必填。"))
