from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RecordsConfig(AppConfig):
    name = "volnet.records"
    verbose_name = pgettext_lazy("app name", "紀錄")

    def ready(self):
        from volnet.records import import_insurance  # noqa: F401 (registers the insurance import)
