"""Django's admin app with the site of volnet.accounts.adminsite: /admin/ only through the staff sign-in.

Kept apart from adminsite.py because INSTALLED_APPS loads it before any model can be imported."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "volnet.accounts.adminsite.StaffSignInAdminSite"
