from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "volnet.backoffice"
    verbose_name = _("志工後台")
