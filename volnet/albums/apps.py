from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlbumsConfig(AppConfig):
    name = "volnet.albums"
    verbose_name = _("電子相簿")
