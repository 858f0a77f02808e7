from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "volnet.records"
    verbose_name = "紀錄"
