"""An uploaded Excel file waiting between its preview and its import: private, its owner's only, short-lived."""

import datetime as dt
import fcntl
import json
import os
import time

import pytest

from volnet.audit.models import AuditEntry
from volnet.records import imports, staging
from volnet.records.models import ServiceRecord
from volnet.records.tests.excel_files import service_row, xlsx
from volnet.units.models import StaffRole


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.VOLNET_IMPORT_DIR = tmp_path / "imports"
    return settings.VOLNET_IMPORT_DIR


def files(store):
    return sorted(path.name for path in store.iterdir())


def put(user, unit, rows=None, **extra):
    data = xlsx(rows or [service_row()])
    check = imports.validate(imports.read_file(data, imports.SERVICE), unit)
    return staging.stage(user=user, unit=unit, kind=imports.SERVICE, file_name="三月時數.xlsx", data=data,
                         check=check, **extra)


def refusal(call, *args, **kwargs):
    with pytest.raises(imports.ImportFileError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_an_upload_is_kept_in_the_private_store_under_an_unguessable_token(supervisor_a, unit_a, volunteer, store,
                                                                          settings):
    tokens = {put(supervisor_a, unit_a) for _ in range(3)}
    assert len(tokens) == 3 and all(len(token) >= 32 for token in tokens)
    token = next(iter(tokens))
    assert {f"{token}.xlsx", f"{token}.json"} <= set(files(store))
    assert not str(store).startswith(str(settings.MEDIA_ROOT))
    staged = staging.load(token, supervisor_a)
    assert staged.unit_id == unit_a.pk and staged.meta["file_name"] == "三月時數.xlsx"
    assert staged.meta["rows"][0][2][0] == "E12233****"  # the preview keeps no full ID number
    assert "E122333441" not in (store / f"{token}.json").read_text(encoding="utf-8")


def test_only_its_uploader_gets_it_back_while_managing_its_unit(supervisor_a, supervisor_b, unit_a, volunteer):
    token = put(supervisor_a, unit_a)
    assert refusal(staging.load, token, supervisor_b) == "unknown"
    StaffRole.objects.filter(user=supervisor_a).delete()
    assert refusal(staging.load, token, supervisor_a) == "unknown"


@pytest.mark.parametrize("token", ["../../secret", "", "A" * 32, "x" * 100])
def test_a_made_up_token_finds_nothing(supervisor_a, unit_a, token):
    assert refusal(staging.load, token, supervisor_a) == "unknown"


def test_an_expired_upload_is_deleted_when_asked_for(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    meta = json.loads((store / f"{token}.json").read_text())
    meta["created"] -= staging.ttl_seconds() + 1
    (store / f"{token}.json").write_text(json.dumps(meta))
    assert refusal(staging.load, token, supervisor_a) == "expired"
    assert files(store) == []


def test_the_sweep_removes_only_what_has_expired(supervisor_a, unit_a, volunteer, store):
    fresh = put(supervisor_a, unit_a)
    old = store / "forgotten.xlsx"
    old.write_bytes(b"x")
    past = time.time() - staging.ttl_seconds() - 3600
    os.utime(old, (past, past))
    assert staging.sweep() == 1
    assert not old.exists() and staging.load(fresh, supervisor_a)
    assert staging.sweep(now=time.time() + staging.ttl_seconds() + 61) == 2  # a scheduled job, later
    assert files(store) == []


def test_a_corrected_upload_replaces_its_uploaders_previous_one_only(supervisor_a, supervisor_b, unit_a, unit_b,
                                                                    volunteer, other_volunteer, store):
    theirs = put(supervisor_b, unit_b, [service_row("F135792464", "陳大同")])
    first = put(supervisor_a, unit_a)
    second = put(supervisor_a, unit_a, replaces=first)
    put(supervisor_a, unit_a, replaces=theirs)
    assert refusal(staging.load, first, supervisor_a) == "unknown"
    assert staging.load(second, supervisor_a) and staging.load(theirs, supervisor_b)


def test_a_commit_imports_the_stored_file_once_and_removes_it(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    outcome = staging.commit(staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a)
    assert outcome.created == 1 and ServiceRecord.objects.get().registrant == supervisor_a
    assert files(store) == [f"{token}.json"]  # the file is gone; the sidecar waits for the page to show the outcome


def test_a_commit_while_another_runs_does_nothing(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    holder = os.open(store / f"{token}.lock", os.O_CREAT | os.O_WRONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # held by another process's commit
    try:
        assert refusal(staging.commit, staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a) == "busy"
    finally:
        os.close(holder)
    assert not ServiceRecord.objects.exists() and f"{token}.xlsx" in files(store)


def test_a_lock_left_by_a_killed_commit_stops_nothing(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    (store / f"{token}.lock").touch()  # its process died (kill -9) holding it: the system let go of the lock
    outcome = staging.commit(staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a)
    assert outcome.created == 1


def test_a_queued_import_runs_once_and_leaves_its_outcome_for_the_page(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a, rows=[service_row(), service_row(start="114/03/02", end="")])
    staging.queue_commit(staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a, ip="192.0.2.7")
    job = staging.job(staging.load(token, supervisor_a))  # the task ran eagerly
    assert job["state"] == "done" and job["created"] == 2 and job["percent"] == 100
    assert ServiceRecord.objects.count() == 2 and files(store) == [f"{token}.json"]
    assert AuditEntry.objects.get(action="records.import.committed").ip_address == "192.0.2.7"
    staging.run_commit(token, user_id=supervisor_a.pk, unit_id=unit_a.pk, ip="192.0.2.7")  # the task again
    assert ServiceRecord.objects.count() == 2


def test_an_import_whose_worker_died_is_run_again_whole(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    staged = staging.load(token, supervisor_a)
    staged.meta["job"] = {"state": "running", "done": 2, "total": 3}  # as the killed worker left it
    staging.save_meta(staged)
    staging.run_commit(token, user_id=supervisor_a.pk, unit_id=unit_a.pk, ip="127.0.0.1")
    assert staging.job(staging.load(token, supervisor_a))["state"] == "done" and ServiceRecord.objects.count() == 1


def test_a_second_confirm_while_one_is_queued_is_refused(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    staged = staging.load(token, supervisor_a)
    staged.meta["job"] = {"state": "queued", "done": 0, "total": 3}
    staging.save_meta(staged)
    assert refusal(staging.queue_commit, staged, unit=unit_a, user=supervisor_a, ip="127.0.0.1") == "busy"


def test_a_file_changed_in_the_store_is_refused_and_removed(supervisor_a, unit_a, volunteer, store):
    token = put(supervisor_a, unit_a)
    (store / f"{token}.xlsx").write_bytes(xlsx([service_row(), service_row(start="114/03/09", end="")]))
    assert refusal(staging.commit, staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a) == "tampered"
    assert not ServiceRecord.objects.exists() and files(store) == [f"{token}.json"]  # the file is gone


def test_rows_that_became_wrong_after_the_preview_become_the_new_preview(supervisor_a, unit_a, volunteer,
                                                                        service_record):
    token = put(supervisor_a, unit_a)
    assert staging.load(token, supervisor_a).problems() == []
    service_record(start=dt.date(2025, 3, 1))  # someone keys in the same day meanwhile
    outcome = staging.commit(staging.load(token, supervisor_a), unit=unit_a, user=supervisor_a)
    assert outcome.created == 0 and ServiceRecord.objects.count() == 1
    [problem] = staging.load(token, supervisor_a).problems()
    assert any("已登錄的紀錄" in error for error in problem[3])
