from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RecordsConfig(AppConfig):
    name = "volnet.records"
    verbose_name = pgettext_lazy("app name", "紀錄")
