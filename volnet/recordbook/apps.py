from django.apps import AppConfig


class RecordbookConfig(AppConfig):
    name = "volnet.recordbook"
    verbose_name = "紀錄冊列印"
