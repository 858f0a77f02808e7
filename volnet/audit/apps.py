from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "volnet.audit"
    verbose_name = "稽核"
