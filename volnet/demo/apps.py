from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "volnet.demo"
    verbose_name = "示範資料"
