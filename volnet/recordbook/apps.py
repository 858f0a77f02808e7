from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordbookConfig(AppConfig):
    name = "volnet.recordbook"
    verbose_name = _("紀錄冊列印")
