"""An uploaded Excel file kept between its preview and its import (the web page's two steps).

`stage()` stores the file under an unguessable token in the private var dir (`VOLNET_IMPORT_DIR`, by
default `VAR_DIR/imports`: outside MEDIA_ROOT, never served), beside a JSON sidecar holding its preview
(every row's cells, the ID number masked, with its problems). `load()` gives it back, only to the staff
member who uploaded it and only while they manage its unit, for `VOLNET_IMPORT_TTL` seconds (30 minutes).
`commit()` imports that same stored file (its SHA-256 is checked) inside the import's transaction, so what
is written is what was previewed, checked against the database as it is now; a lock on a file (flock, let go
by the system when its process dies, even by kill -9) lets one commit of a token run at a time. `sweep()`
removes what has expired: every upload calls it, and so does the beat job `records.sweep_uploads`.

The web page does not import in the request: `queue_commit()` marks the upload's job queued and, once the
request's transaction commits, hands it to a worker (`records.tasks.commit_upload` → `run_commit()`), which
writes its progress and then its outcome into the sidecar; `job()` reads them for the page. A worker killed
in the middle writes nothing (the import is one transaction), and its task runs again (acks_late); a task run
again after the import finished finds the job done and does nothing.

A refusal is an `imports.ImportFileError` whose `code` says what happened: `unknown` (no such upload, or
not this person's), `expired`, `busy` (a commit of it is running), `tampered`, or the import's own codes.
"""

import dataclasses
import datetime as dt
import fcntl
import json
import logging
import os
import re
import secrets
import time
import types
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from volnet.lib import masking
from volnet.paging import paginate
from volnet.records import imports
from volnet.units import access

logger = logging.getLogger(__name__)
RUNNING = ("queued", "running")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def folder():
    path = Path(settings.VOLNET_IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def ttl_seconds():
    return settings.VOLNET_IMPORT_TTL


def _paths(token):
    base = folder()
    return {"file": base / f"{token}.xlsx", "meta": base / f"{token}.json", "lock": base / f"{token}.lock"}


@dataclasses.dataclass
class Staged:
    """A stored upload: `meta` is its sidecar (user, unit, kind, file_name, size, created, and the preview:
    rows, notices, error_count, warning_count, sha256)."""

    token: str
    meta: dict

    @property
    def unit_id(self):
        return self.meta["unit"]

    @property
    def kind(self):
        return self.meta["kind"]

    @property
    def expires_at(self):
        return dt.datetime.fromtimestamp(self.meta["created"] + ttl_seconds(), tz=dt.UTC)

    def problems(self):
        """The preview's rows that cannot be imported as they are."""
        return [row for row in self.meta["rows"] if row[1] != imports.OK]


def preview(check, mask_id=True):
    """What the sidecar keeps of a check: each row [line, status, cells, errors, warnings], the ID masked
    (column 1 of the hours and training templates; `mask_id=False` for a template without one)."""
    rows = []
    for row in check.rows:
        cells = list(row.cells)
        if cells and mask_id:
            cells[0] = masking.mask_id(cells[0])
        rows.append([row.line, row.status, cells, row.errors, row.warnings])
    return {
        "rows": rows,
        "notices": check.notices,
        "error_count": check.error_count,
        "warning_count": check.warning_count,
        "sha256": check.sha256,
    }


def stage(*, user, kind, file_name, data, check, unit=None, authority=None, replaces=None):
    """Keep an uploaded file and its check for the preview; returns its token. It belongs to `unit` (the
    hours and training imports) or to `authority` (an authority's own list, e.g. the honor card's venues).
    `replaces`: the token of the same person's previous upload, which a corrected file replaces."""
    sweep()
    discard(replaces, user)
    token = secrets.token_urlsafe(24)
    _paths(token)["file"].write_bytes(data)
    _write_meta(token, {
        "user": user.pk, "unit": unit.pk if unit else None, "authority": authority.pk if authority else None,
        "kind": kind, "file_name": file_name, "size": len(data), "created": time.time(),
        **preview(check, mask_id=unit is not None),
    })
    return token


def _belongs(meta, user):
    """The upload is the user's, and the user still works for its unit (or authority)."""
    if meta.get("user") != user.pk:
        return False
    if meta.get("authority"):
        return access.authorities_of(user).filter(pk=meta["authority"]).exists()
    return access.managed_units(user).filter(pk=meta.get("unit")).exists()


def save_meta(staged):
    _write_meta(staged.token, staged.meta)


def _write_meta(token, meta):
    write_sidecar(_paths(token)["meta"], meta)


def write_sidecar(path, meta):
    """Write a JSON sidecar whole or not at all (a reader never sees half of it)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(temporary, path)


def read_sidecar(token, path):
    """A sidecar's content, or None for a malformed token or no (readable) sidecar."""
    if not _TOKEN.match(token or ""):
        return None
    try:
        return json.loads(path(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _read_meta(token):
    return read_sidecar(token, lambda token: _paths(token)["meta"])


def load(token, user):
    """The stored upload, for the person who made it while they manage its unit.

    Refuses with code `unknown` (malformed token, nothing stored, someone else's) or `expired` (the files
    are removed then)."""
    meta = _read_meta(token)
    if meta is None:
        raise imports.ImportFileError(_("找不到這次上傳，可能已匯入或已取消。"), code="unknown")
    if not _belongs(meta, user):
        raise imports.ImportFileError(_("找不到這次上傳，可能已匯入或已取消。"), code="unknown")
    if time.time() - meta["created"] > ttl_seconds():
        remove(token)
        raise imports.ImportFileError(
            _("預覽已超過 %(minutes)s 分鐘，為保護個人資料已刪除暫存檔。請重新上傳。")
            % {"minutes": ttl_seconds() // 60},
            code="expired",
        )
    return Staged(token, meta)


def load_for_page(request, token):
    """`load()` for a page of the upload's import (preview, confirm, progress): someone else's or an unknown
    token is a 404; an expired one gives None, its reason left as the page's next message."""
    try:
        return load(token, request.user)
    except imports.ImportFileError as error:
        if error.code != "expired":
            raise Http404(error.message) from None
        messages.warning(request, error.message)
        return None


def _lock(token):
    """Hold the upload's lock (one commit at a time) or refuse `busy`; returns what `_unlock` lets go."""
    path = _paths(token)["lock"]
    handle = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise imports.ImportFileError(_("這個檔案正在匯入中，請稍候再查看結果。"), code="busy") from None
    return handle


def _unlock(token, handle):
    _paths(token)["lock"].unlink(missing_ok=True)
    os.close(handle)


def commit(staged, *, unit, user, request=None, progress=None):
    """Import the stored file into `unit` (the unit it was uploaded for): an `imports.ImportOutcome`.

    Imported: the stored file is removed (the sidecar keeps the outcome for the page). Refused by a row (the
    database changed since the preview, e.g. someone entered the same hours): nothing is written and the
    preview is the new check. Refused as a file (`tampered`, or the import's own codes): the stored file is
    removed and the error raised. `busy`: a commit of the same upload is running; nothing is done.
    `progress`: imports.import_file's callbacks."""
    return commit_with(staged, lambda data: imports.import_file(
        data, unit=unit, registrant=user, kind=staged.kind, file_name=staged.meta["file_name"],
        source_label="web", request=request, progress=progress,
    ))


def commit_with(staged, importer, mask_id=True):
    """`commit` with another import: `importer(data)` gets the stored bytes (their SHA-256 checked, the
    upload's lock held) and returns an outcome with `created` and `check` (an `imports.ImportOutcome`)."""
    paths = _paths(staged.token)
    handle = _lock(staged.token)
    try:
        data = paths["file"].read_bytes()
        if imports.file_sha256(data) != staged.meta["sha256"]:
            raise imports.ImportFileError(_("暫存的檔案已被更動，請重新上傳。"), code="tampered")
        outcome = importer(data)
    except imports.ImportFileError:
        paths["file"].unlink(missing_ok=True)
        raise
    except FileNotFoundError:
        raise imports.ImportFileError(_("找不到這次上傳，可能已匯入或已取消。"), code="unknown") from None
    finally:
        _unlock(staged.token, handle)
    if outcome.created:
        paths["file"].unlink(missing_ok=True)
    else:
        staged.meta.update(preview(outcome.check, mask_id=mask_id))
        _write_meta(staged.token, staged.meta)
    return outcome


PREVIEW_PER_PAGE = 100


def preview_context(request, staged, columns):
    """What `templates/_import_preview.html` shows of a stored upload: `?show=problems|all`, a page of rows
    each as (line, status, [(column title, cell)], errors, warnings), the counts."""
    rows, problems = staged.meta["rows"], staged.problems()
    show = request.GET.get("show") or ("problems" if problems else "all")
    page = paginate(request, problems if show == "problems" else rows, PREVIEW_PER_PAGE)
    page.query = f"show={show}"  # the links name the list shown, also when it was the default
    return {
        "meta": staged.meta, "token": staged.token, "columns": columns, "page": page, "show": show,
        "listed_rows": [(line, status, list(zip(columns, cells, strict=False)), errors, warnings)
                        for line, status, cells, errors, warnings in page.object_list],
        "total": len(rows), "problem_count": len(problems), "expires_at": staged.expires_at,
    }


# --- the import as a task, with progress ---------------------------------------------------------


def job(staged):
    """The upload's import job for the page: {state, done, total, percent, …} or None before its confirm.
    state: queued, running, done (created), refused (errors: rows the database no longer allows), failed
    (message)."""
    return describe(staged.meta.get("job"))


def describe(current):
    """A job's sidecar entry with its `percent` (records.filejobs' downloads read theirs through it too)."""
    if not current:
        return None
    total = current.get("total") or 1
    return {**current, "percent": min(100, int(100 * current.get("done", 0) / total))}


def queue_commit(staged, *, unit, user, ip):
    """Hand the import to a worker once the caller's transaction commits. `busy` while one is queued or running.
    `ip`: the address the audit log records for it."""
    if (staged.meta.get("job") or {}).get("state") in RUNNING:
        raise imports.ImportFileError(_("這個檔案正在匯入中，請稍候再查看結果。"), code="busy")
    # Read, check and write each row once: the progress counts all three.
    _set_job(staged, state="queued", done=0, total=3 * len(staged.meta["rows"]))
    transaction.on_commit(partial(_enqueue, staged, user.pk, unit.pk, ip))


def _enqueue(staged, user_id, unit_id, ip):
    from volnet.records import tasks

    try:
        tasks.commit_upload.delay(staged.token, user_id, unit_id, ip)
    except Exception:  # the broker is down: say so, rather than wait for ever
        logger.exception("could not queue the import of %s", staged.token)
        _set_job(staged, state="failed", message=_("目前無法開始匯入，請稍後再試；沒有寫入任何資料。"))


def _set_job(staged, **fields):
    staged.meta["job"] = {**(staged.meta.get("job") or {}), **fields}
    _write_meta(staged.token, staged.meta)


class Progress:
    """Rows done, handed to `write(done)` (which writes a sidecar) at most twice a second: the import's and
    records.filejobs' progress."""

    def __init__(self, write):
        self.write, self.done, self.written = write, 0, 0.0

    def add(self, rows):
        self.done += rows
        now = time.monotonic()
        if now - self.written >= 0.5:
            self.written = now
            self.write(self.done)

    def callbacks(self):
        return {"read": self.add, "check": self.add, "write": self.add}


def _write_progress(staged, done):
    _set_job(staged, state="running", done=done)


def run_commit(token, *, user_id, unit_id, ip):
    """What the worker does for queue_commit: import, writing progress, then the outcome. A task run again
    after the import finished (or was cancelled, or expired) does nothing."""
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        staged = load(token, user)
    except imports.ImportFileError:
        return
    if (staged.meta.get("job") or {}).get("state") not in RUNNING:
        return
    unit = access.managed_units(user).filter(pk=unit_id).first()
    if unit is None:
        _set_job(staged, state="failed", message=_("找不到這次上傳，可能已匯入或已取消。"))
        return
    origin = types.SimpleNamespace(META={"REMOTE_ADDR": ip}, user=user)  # the request, as the audit log reads it
    _set_job(staged, state="running", done=0)
    try:
        progress = Progress(partial(_write_progress, staged)).callbacks()
        outcome = commit(staged, unit=unit, user=user, request=origin, progress=progress)
    except imports.ImportFileError as error:
        if error.code != "busy":  # busy: another run of this task holds it and will finish it
            _set_job(staged, state="failed", message=error.message)
        return
    if outcome.created:
        staged.meta["rows"] = []  # the preview's rows are not needed any more
        _set_job(staged, state="done", created=outcome.created, summary=outcome.check.summary,
                 done=staged.meta["job"]["total"])
    else:
        _set_job(staged, state="refused", errors=outcome.check.error_count)


def discard(token, user):
    """Remove a stored upload of `user` (someone else's, or none, is left alone). True if one was removed."""
    meta = _read_meta(token)
    if meta is None or meta.get("user") != user.pk:
        return False
    remove(token)
    return True


def remove(token):
    for path in _paths(token).values():
        path.unlink(missing_ok=True)


def sweep(now=None):
    """Remove every stored file older than the time to live (and a minute's grace); returns how many."""
    cutoff = (now or time.time()) - ttl_seconds() - 60
    removed = 0
    for path in folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
