"""`manage.py import_records`: the same checks from a shell, exit codes, per-row errors, progress."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from volnet.audit.models import AuditEntry
from volnet.records.models import ServiceRecord, TrainingRecord
from volnet.records.tests.excel_files import TRAINING_HEADER, service_row, training_row, xlsx


@pytest.fixture
def workbook(tmp_path):
    def write(rows, header=None, name="hours.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows, header))
        return str(path)

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_clean_file_with_the_registrant_and_shows_progress(workbook, unit_a, volunteer, supervisor_a):
    path = workbook([service_row(), service_row(start="114/03/02", end="")])
    out, err = run(path, "--unit", "2-299", "--registrant", supervisor_a.national_id)
    assert "已匯入 2 筆服務時數" in out
    assert "檢查" in err and "寫入" in err  # tqdm bars
    assert ServiceRecord.objects.filter(registrant=supervisor_a).count() == 2
    entry = AuditEntry.objects.get(action="records.import.committed")
    assert entry.changes["source"] == "command" and entry.changes["file_name"] == "hours.xlsx"


def test_row_errors_are_listed_and_exit_with_status_1_writing_nothing(workbook, unit_a, volunteer):
    path = workbook([service_row(), service_row(hours=0, start="114/03/02", end=""), service_row()])
    with pytest.raises(CommandError) as caught:
        run(path, "--unit", "2-299", "--no-progress")
    assert caught.value.returncode == 1
    assert "有 2 列錯誤" in str(caught.value)
    assert ServiceRecord.objects.count() == 0


def test_the_row_list_is_printed_before_the_failure(workbook, unit_a, volunteer):
    path = workbook([service_row(), service_row(hours=0, start="114/03/02", end="")])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", path, "--unit", "2-299", "--no-progress", stdout=out, stderr=io.StringIO())
    assert "第 3 列：服務時數：時數必須大於 0。" in out.getvalue()


def test_a_dry_run_checks_and_writes_nothing(workbook, unit_a, volunteer):
    out, _err = run(workbook([service_row()]), "--unit", "2-299", "--dry-run", "--no-progress")
    assert "檢查通過：1 列都可以匯入" in out
    assert ServiceRecord.objects.count() == 0


def test_the_kind_is_taken_from_the_header_or_from_the_option(workbook, unit_a, volunteer):
    path = workbook([training_row()], TRAINING_HEADER)
    run(path, "--unit", "2-299", "--no-progress")
    assert TrainingRecord.objects.count() == 1
    with pytest.raises(CommandError) as caught:
        run(path, "--unit", "2-299", "--kind", "service", "--no-progress")
    assert caught.value.returncode == 2 and "教育訓練" in str(caught.value)


def test_an_unreadable_file_exits_with_status_2(tmp_path, unit_a):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError) as caught:
        run(str(path), "--unit", "2-299", "--no-progress")
    assert caught.value.returncode == 2 and "PDF" in str(caught.value)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--unit", "9-999"], "找不到單位代碼"),
        (["--unit", "2-299", "--registrant", "E122333442"], "檢查碼"),
        (["--unit", "2-299", "--registrant", "B122334454"], "不是"),
    ],
    ids=["unknown-unit", "bad-registrant-id", "registrant-of-another-unit"],
)
def test_bad_options_exit_with_status_2(workbook, unit_a, volunteer, supervisor_b, args, fragment):
    with pytest.raises(CommandError) as caught:
        run(workbook([service_row()]), *args, "--no-progress")
    assert caught.value.returncode == 2 and fragment in str(caught.value)
    assert ServiceRecord.objects.count() == 0


def test_a_missing_file_exits_with_status_2(unit_a):
    with pytest.raises(CommandError) as caught:
        run("/nonexistent/hours.xlsx", "--unit", "2-299")
    assert caught.value.returncode == 2


def test_the_process_exit_status_is_non_zero_on_errors(workbook, unit_a, volunteer):
    """Through the real entry point, as a shell script would run it."""
    from django.core.management import ManagementUtility

    path = workbook([service_row(hours=0)])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_records", path, "--unit", "2-299", "--no-progress"]).execute()
    assert exited.value.code == 1


def test_no_dates_in_the_future_slip_through_the_command(workbook, unit_a, volunteer):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    text = f"{tomorrow.year - 1911}/{tomorrow.month:02d}/{tomorrow.day:02d}"
    with pytest.raises(CommandError):
        run(workbook([service_row(start=text, end=text)]), "--unit", "2-299", "--no-progress")
