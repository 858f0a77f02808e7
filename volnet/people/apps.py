from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """What a unit does about people and what a person answers a unit (services.py); no models of its own."""

    name = "volnet.people"

    def ready(self):
        from volnet.people import imports  # noqa: F401 (registers the volunteers import)
