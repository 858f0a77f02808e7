"""import_file / commit: every row or none, 登錄人 set, one audit entry that summarises the import."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from volnet.audit.models import AuditEntry
from volnet.records import imports
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.tests.excel_files import TRAINING_HEADER, service_row, training_row, xlsx

TODAY = dt.date(2025, 6, 30)


def run(data, unit, registrant, **options):
    return imports.import_file(data, unit=unit, registrant=registrant, today=TODAY, file_name="三月時數.xlsx",
                               **options)


def test_a_clean_file_is_written_whole_with_the_registrant(unit_a, volunteer, supervisor_a):
    data = xlsx([service_row(hours="3.5"), service_row(start="114/03/02", end="114/03/03", hours=6)])
    outcome = run(data, unit_a, supervisor_a)
    assert outcome.created == 2
    records = list(ServiceRecord.objects.order_by("start_date"))
    assert [(r.start_date, r.end_date, r.hours) for r in records] == [
        (dt.date(2025, 3, 1), dt.date(2025, 3, 1), Decimal("3.5")),
        (dt.date(2025, 3, 2), dt.date(2025, 3, 3), Decimal("6.0")),
    ]
    assert {(r.volunteer_id, r.unit_id, r.registrant_id, r.status) for r in records} == {
        (volunteer.pk, unit_a.pk, supervisor_a.pk, ServiceRecord.Status.APPROVED)
    }


def test_one_bad_row_means_nothing_is_written(unit_a, volunteer, supervisor_a):
    rows = [service_row(start=f"114/03/{day:02d}", end="") for day in range(1, 20)]
    rows.append(service_row(start="114/04/01", end="", hours=25))
    outcome = run(xlsx(rows), unit_a, supervisor_a)
    assert outcome.created == 0
    assert outcome.check.error_count == 1
    assert ServiceRecord.objects.count() == 0
    assert not AuditEntry.objects.filter(action="records.import.committed").exists()


def test_a_duplicated_row_means_nothing_is_written(unit_a, volunteer, supervisor_a):
    outcome = run(xlsx([service_row(), service_row()]), unit_a, supervisor_a)
    assert outcome.created == 0 and ServiceRecord.objects.count() == 0


def test_a_dry_run_checks_but_writes_nothing(unit_a, volunteer, supervisor_a):
    outcome = run(xlsx([service_row()]), unit_a, supervisor_a, dry_run=True)
    assert outcome.check.ok and outcome.created == 0
    assert ServiceRecord.objects.count() == 0


def test_one_audit_entry_summarises_the_import(unit_a, volunteer, supervisor_a):
    data = xlsx([service_row(), service_row(start="114/03/02", end="")])
    run(data, unit_a, supervisor_a)
    entry = AuditEntry.objects.get(action="records.import.committed")
    assert entry.actor == supervisor_a and entry.unit == unit_a
    assert entry.changes == {
        "kind": "service", "count": 2, "file_name": "三月時數.xlsx", "sha256": imports.file_sha256(data),
        "source": "web",
    }


def test_importing_the_same_file_twice_is_refused_the_second_time(unit_a, volunteer, supervisor_a):
    data = xlsx([service_row()])
    assert run(data, unit_a, supervisor_a).created == 1
    again = run(data, unit_a, supervisor_a)
    assert again.created == 0 and "已登錄的紀錄" in again.check.rows[0].errors[0]
    assert ServiceRecord.objects.count() == 1


def test_rows_are_written_in_batches(unit_a, volunteer, supervisor_a, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 4)
    rows = [service_row(start=f"114/03/{day:02d}", end="") for day in range(1, 11)]
    with CaptureQueriesContext(connection) as queries:
        outcome = run(xlsx(rows), unit_a, supervisor_a)
    inserts = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "records_servicerecord"' in q["sql"]]
    assert [sql.split(" times: ")[0] for sql in inserts] == ["4", "4", "2"]  # executemany, logged "4 times: …"
    assert outcome.created == 10 and ServiceRecord.objects.count() == 10


def test_a_failure_while_writing_rolls_everything_back(unit_a, volunteer, supervisor_a, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 3)
    written = []

    def interrupted(count):
        written.append(count)
        if len(written) == 2:
            raise RuntimeError("disk full")

    rows = [service_row(start=f"114/03/{day:02d}", end="") for day in range(1, 8)]
    with pytest.raises(RuntimeError):
        run(xlsx(rows), unit_a, supervisor_a, progress={"write": interrupted})
    assert written == [3, 3]
    assert ServiceRecord.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_imported_rows_get_the_model_defaults_and_timestamps(unit_a, volunteer, supervisor_a):
    run(xlsx([service_row()]), unit_a, supervisor_a)
    record = ServiceRecord.objects.get()
    assert (record.status, record.self_reported, record.misuse_note, record.decline_reason) == (
        "approved", False, "", "")
    assert record.created_at is not None and record.updated_at is not None


def test_commit_refuses_a_check_with_errors(unit_a, volunteer, supervisor_a):
    sheet = imports.read_file(xlsx([service_row(hours=0)]), today=TODAY)
    result = imports.validate(sheet, unit_a)
    with pytest.raises(ValueError):
        imports.commit(result, registrant=supervisor_a)


def test_training_rows_are_written_with_minutes_and_certificate(unit_a, volunteer, supervisor_a):
    data = xlsx([training_row(hours="1:30"), training_row(kind="基礎訓練", category="", course="基礎訓練課程",
                                                          end="", certificate="")], TRAINING_HEADER)
    outcome = run(data, unit_a, supervisor_a, kind=imports.TRAINING)
    assert outcome.created == 2
    special = TrainingRecord.objects.get(kind="special")
    assert (special.minutes, special.sessions, special.category, special.certificate_number) == (
        90, 2, "social_welfare", "中市志推字第1140001號")
    basic = TrainingRecord.objects.get(kind="basic")
    assert basic.end_date is None and basic.registrant == supervisor_a
