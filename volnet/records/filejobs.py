"""A file made by the worker for a download: its progress, then the file, for the person who asked only.

The big downloads (志工名冊, the statistics) are not written in the request: `queue()` keeps a sidecar in
records.staging's private folder (`{token}.job.json`, the job's state as `staging.describe` reads it) and,
once the request's transaction commits, hands the job to a worker (`records.tasks.make_file` → `run()`). The
worker calls the job's maker, a function named by dotted path under `volnet.`, as
`maker(user, request=…, progress=…, **params)`; it returns a rewound file, which is kept beside the sidecar
(`{token}.out`). `load()` gives the job back only to the person who queued it (anyone else: None, a 404), for
`VOLNET_IMPORT_TTL` seconds; staging's sweep (every upload, and the beat job `records.sweep_uploads`) removes
what has expired. A maker that fails leaves the job `failed` with a message, never a half-written file.
Tasks run eagerly without a broker (tests, `make run`), so the page then shows the file at once.
"""

import logging
import os
import secrets
import shutil
import time
import types
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from volnet.records import staging

logger = logging.getLogger(__name__)
RUNNING = staging.RUNNING


def _paths(token):
    base = staging.folder()
    return {"meta": base / f"{token}.job.json", "file": base / f"{token}.out"}


def _write(token, meta):
    staging.write_sidecar(_paths(token)["meta"], meta)


def _read(token):
    return staging.read_sidecar(token, lambda token: _paths(token)["meta"])


def _set_job(token, meta, **fields):
    meta["job"] = {**meta["job"], **fields}
    _write(token, meta)


def mark(token, **fields):
    """Set fields of a job's state (a test's way to show a page as the worker leaves it)."""
    _set_job(token, _read(token), **fields)


def queue(*, user, maker, params, file_name, content_type, ip, total=1, title=""):
    """Queue the making of a file for `user`; returns the job's token. `maker`: dotted path of the function;
    `params`: its keyword arguments (JSON); `total`: the rows its progress counts to; `title`: what the page
    calls it."""
    if not maker.startswith("volnet."):
        raise ValueError(maker)
    staging.sweep()
    token = secrets.token_urlsafe(24)
    _write(token, {"user": user.pk, "maker": maker, "params": params, "file_name": file_name,
                   "content_type": content_type, "ip": ip, "title": str(title), "created": time.time(),
                   "job": {"state": "queued", "done": 0, "total": max(total, 1)}})
    transaction.on_commit(partial(_enqueue, token))
    return token


def _enqueue(token):
    from volnet.records import tasks

    try:
        tasks.make_file.delay(token)
    except Exception:  # the broker is down: say so, rather than wait for ever
        logger.exception("could not queue the file %s", token)
        meta = _read(token)
        if meta is not None:
            _set_job(token, meta, state="failed", message=_("目前無法開始製作檔案，請稍後再試。"))


def load(token, user):
    """The job (its sidecar, with `job` described) for the person who queued it while it is kept; else None."""
    meta = _read(token)
    if meta is None or meta.get("user") != user.pk:
        return None
    if time.time() - meta["created"] > staging.ttl_seconds():
        remove(token)
        return None
    return {**meta, "job": staging.describe(meta["job"])}


def file_path(token):
    return _paths(token)["file"]


def remove(token):
    for path in _paths(token).values():
        path.unlink(missing_ok=True)


def run(token):
    """What the worker does for `queue`: make the file, writing progress, then keep it. A task run again after
    the file was made (or failed, or expired) does nothing."""
    meta = _read(token)
    if meta is None or meta["job"].get("state") not in RUNNING:
        return
    user = get_user_model().objects.filter(pk=meta["user"], is_active=True).first()
    origin = types.SimpleNamespace(META={"REMOTE_ADDR": meta["ip"]}, user=user)  # the request, as the audit reads it
    _set_job(token, meta, state="running", done=0)
    progress = staging.Progress(lambda done: _set_job(token, meta, state="running", done=done))
    target = _paths(token)["file"]
    partial_file = target.with_suffix(".part")
    try:
        if user is None:
            raise LookupError("the user is gone")
        with import_string(meta["maker"])(user, request=origin, progress=progress.add, **meta["params"]) as handle:
            with partial_file.open("wb") as out:
                shutil.copyfileobj(handle, out)
        os.replace(partial_file, target)
    except Exception:
        logger.exception("could not make the file %s (%s)", token, meta["maker"])
        partial_file.unlink(missing_ok=True)
        _set_job(token, meta, state="failed", message=_("製作檔案時發生錯誤，沒有產生檔案。請稍後再試一次。"))
        return
    _set_job(token, meta, state="done", done=meta["job"]["total"], size=target.stat().st_size)
