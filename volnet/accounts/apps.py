from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "volnet.accounts"
    verbose_name = pgettext_lazy("admin: the app", "帳號")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from volnet.accounts import checks  # noqa: F401 (registers the deploy checks)
        from volnet.accounts.middleware import note_sign_in_time

        user_logged_in.connect(note_sign_in_time, dispatch_uid="volnet.accounts.signed_in_at")
