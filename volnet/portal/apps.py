from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "volnet.portal"
    verbose_name = "志工前台"
