from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "volnet.eligibility"
    verbose_name = "資格"
