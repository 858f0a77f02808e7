from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorcardConfig(AppConfig):
    name = "volnet.honorcard"
    verbose_name = _("榮譽卡")
