"""An uploaded Excel file kept between its preview and its import (the web page's two steps).

`stage()` stores the file under an unguessable token in the private var dir (`VOLNET_IMPORT_DIR`, by
default `VAR_DIR/imports`: outside MEDIA_ROOT, never served), beside a JSON sidecar holding its preview
(every row's cells, the ID number masked, with its problems). `load()` gives it back, only to the staff
member who uploaded it and only while they manage its unit, for `VOLNET_IMPORT_TTL` seconds (30 minutes).
`commit()` imports that same stored file (its SHA-256 is checked) inside the import's transaction, so what
is written is what was previewed, checked against the database as it is now; a lock file lets one commit
of a token run at a time. `sweep()` removes what has expired: every upload calls it, and a scheduled job
may call it too.

A refusal is an `imports.ImportFileError` whose `code` says what happened: `unknown` (no such upload, or
not this person's), `expired`, `busy` (a commit of it is running), `tampered`, or the import's own codes.
"""

import dataclasses
import datetime as dt
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from volnet.lib import masking
from volnet.records import imports
from volnet.units import access

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


def preview(check):
    """What the sidecar keeps of a check: each row [line, status, cells, errors, warnings], the ID masked."""
    rows = []
    for row in check.rows:
        cells = list(row.cells)
        if cells:
            cells[0] = masking.mask_id(cells[0])  # column 1 is always the ID number
        rows.append([row.line, row.status, cells, row.errors, row.warnings])
    return {
        "rows": rows,
        "notices": check.notices,
        "error_count": check.error_count,
        "warning_count": check.warning_count,
        "sha256": check.sha256,
    }


def stage(*, user, unit, kind, file_name, data, check, replaces=None):
    """Keep an uploaded file and its check for the preview; returns its token. `replaces`: the token of
    the same person's previous upload, which a corrected file replaces."""
    sweep()
    discard(replaces, user)
    token = secrets.token_urlsafe(24)
    _paths(token)["file"].write_bytes(data)
    _write_meta(token, {
        "user": user.pk, "unit": unit.pk, "kind": kind, "file_name": file_name, "size": len(data),
        "created": time.time(), **preview(check),
    })
    return token


def _write_meta(token, meta):
    path = _paths(token)["meta"]
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(temporary, path)


def _read_meta(token):
    if not _TOKEN.match(token or ""):
        return None
    try:
        return json.loads(_paths(token)["meta"].read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def load(token, user):
    """The stored upload, for the person who made it while they manage its unit.

    Refuses with code `unknown` (malformed token, nothing stored, someone else's) or `expired` (the files
    are removed then)."""
    meta = _read_meta(token)
    if meta is None:
        raise imports.ImportFileError(_("找不到這次上傳，可能已匯入或已取消。"), code="unknown")
    if meta.get("user") != user.pk or not access.managed_units(user).filter(pk=meta.get("unit")).exists():
        raise imports.ImportFileError(_("找不到這次上傳，可能已匯入或已取消。"), code="unknown")
    if time.time() - meta["created"] > ttl_seconds():
        remove(token)
        raise imports.ImportFileError(
            _("預覽已超過 %(minutes)s 分鐘，為保護個人資料已刪除暫存檔。請重新上傳。")
            % {"minutes": ttl_seconds() // 60},
            code="expired",
        )
    return Staged(token, meta)


def commit(staged, *, unit, user, request=None):
    """Import the stored file into `unit` (the unit it was uploaded for): an `imports.ImportOutcome`.

    Imported: the files are removed. Refused by a row (the database changed since the preview, e.g.
    someone entered the same hours): nothing is written and the preview is the new check. Refused as a
    file (`tampered`, or the import's own codes): the files are removed and the error raised. `busy`: a
    commit of the same upload is running; nothing is done."""
    paths = _paths(staged.token)
    try:
        os.close(os.open(paths["lock"], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        raise imports.ImportFileError(_("這個檔案正在匯入中，請稍候再查看結果。"), code="busy") from None
    try:
        data = paths["file"].read_bytes()
        if imports.file_sha256(data) != staged.meta["sha256"]:
            raise imports.ImportFileError(_("暫存的檔案已被更動，請重新上傳。"), code="tampered")
        outcome = imports.import_file(
            data, unit=unit, registrant=user, kind=staged.kind, file_name=staged.meta["file_name"],
            source_label="web", request=request,
        )
    except imports.ImportFileError:
        remove(staged.token)
        raise
    finally:
        paths["lock"].unlink(missing_ok=True)
    if outcome.created:
        remove(staged.token)
    else:
        staged.meta.update(preview(outcome.check))
        _write_meta(staged.token, staged.meta)
    return outcome


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
