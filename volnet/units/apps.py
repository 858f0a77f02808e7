from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "volnet.units"
    verbose_name = "單位"
