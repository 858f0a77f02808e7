from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "volnet.eligibility"
    verbose_name = _("資格")
