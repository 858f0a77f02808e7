from django.apps import AppConfig


class HonorcardConfig(AppConfig):
    name = "volnet.honorcard"
    verbose_name = "榮譽卡"
