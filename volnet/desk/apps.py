from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "volnet.desk"
    verbose_name = _("單位與工作人員")
