from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class UnitsConfig(AppConfig):
    name = "volnet.units"
    verbose_name = pgettext_lazy("app name", "單位")
