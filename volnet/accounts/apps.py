from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "volnet.accounts"
    verbose_name = pgettext_lazy("admin: the app", "帳號")
