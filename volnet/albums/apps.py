from django.apps import AppConfig


class AlbumsConfig(AppConfig):
    name = "volnet.albums"
    verbose_name = "電子相簿"
