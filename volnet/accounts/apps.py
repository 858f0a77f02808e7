from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "volnet.accounts"
    verbose_name = "帳號"
