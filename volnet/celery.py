"""The Celery app: `celery -A volnet worker` and `celery -A volnet beat` (docs/deploy.md).

Its settings are the `CELERY_*` names in `volnet/settings.py`. Apps define tasks with `celery.shared_task`
in their own `tasks.py` (found by `autodiscover_tasks`) and never import this module: a task is queued with
`.delay()` from `transaction.on_commit`, so a worker never sees a row the request has not committed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volnet.settings")

app = Celery("volnet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
