# The Celery app is loaded with Django, so that `shared_task`s queue to it (volnet/celery.py).
from volnet.celery import app as celery_app

__all__ = ["celery_app"]
