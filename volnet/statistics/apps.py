from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "volnet.statistics"
    label = "statistics"
    verbose_name = _("統計")

    def ready(self):
        from volnet.statistics import receivers  # noqa: F401  (connects the summary tables to record writes)
