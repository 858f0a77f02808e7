from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "volnet.documents"
    verbose_name = _("核發文件")

    def ready(self):
        from volnet.documents import checks  # noqa: F401  (registers the deploy check)
