"""Every scheduled job (CELERY_BEAT_SCHEDULE) names a task the worker knows, is described in docs/deploy.md, and
runs, twice, on a database with nothing to do (a job that crashes on an empty night would go unnoticed)."""

from pathlib import Path

import pytest
from django.conf import settings

from volnet.celery import app

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_scheduled_job_is_a_known_task_documented_and_runs_twice(name, db):
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    assert entry["task"] in app.tasks, f"{entry['task']} is not a registered task"
    assert f"`{name}`" in DEPLOY.read_text(), f"docs/deploy.md does not describe {name}"
    for _ in range(2):
        app.tasks[entry["task"]].apply().get()
