from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "volnet.backoffice"
    verbose_name = "志工後台"
