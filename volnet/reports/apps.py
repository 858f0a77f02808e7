from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "volnet.reports"
    verbose_name = _("服務計畫與成果報告")
