from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MailerConfig(AppConfig):
    name = "volnet.mailer"
    verbose_name = pgettext_lazy("app name", "郵件寄送")
