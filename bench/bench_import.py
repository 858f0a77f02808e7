"""Excel import: 100,000 service-hour rows read, validated and committed, against a bare openpyxl
read-only scan of the same file in the same run.

Goal (issue 7): the whole import takes no longer than the bare scan alone (ratio ≤ 1.0), with peak
memory ≤ 500 MB. The import is `volnet.records.imports.import_file`, exactly what the back office
and `manage.py import_records` run: python-calamine read, row cleaning, set-lookup checks against the
database (members, existing records), INSERTs (executemany) in batches of 5,000 in one transaction.

The data: ~2,000 volunteers who are active members of one unit (created in a fresh SQLite database
first), each with rows on distinct days of 民國114 with realistic items, contents and hours; ROC dates
as text, one row in ten as a real Excel date cell. `--quick` uses 10,000 rows.
"""

import datetime as dt
import gc
import random
import time
from pathlib import Path

from bench.util import ROOT, Row, bench_database, django_setup, peak_memory_mb

VOLUNTEERS = 2_000
FULL_ROWS = 100_000
QUICK_ROWS = 10_000
CONTENTS = ["電話問安", "居家關懷", "送餐服務", "活動協助", "櫃台諮詢", "導覽解說", "環境清潔", "課業輔導", "行政文書"]
HOURS = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 6, 8]
_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1)


def national_id(serial):
    """A checksum-valid ID number for volunteer `serial` (letter and sex digit vary, 7 serial digits)."""
    letter = _LETTERS[serial % 22]
    body = f"{1 + serial % 2}{serial:07d}"
    value = _LETTERS.index(letter) + 10
    digits = [value // 10, value % 10] + [int(ch) for ch in body]
    total = sum(w * d for w, d in zip(_WEIGHTS, digits, strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


def setup_people(volunteers):
    """The unit, its supervisor (登錄人) and `volunteers` active members; returns (unit pk, staff pk, people)."""
    from volnet.accounts.models import User
    from volnet.units.models import Authority, Membership, StaffRole, Unit

    authority = Authority.objects.create(code="BENCH", name="臺中市政府社會局")
    unit = Unit.objects.create(code="9-001", name="效能測試志工隊", authority=authority)
    staff = User.objects.create(national_id=national_id(999_999), name="督導", password="!")
    StaffRole.objects.create(user=staff, role=StaffRole.Role.SUPERVISOR, unit=unit)
    surnames, given = "陳林黃張李王吳劉蔡楊", "志明美玲家豪淑芬俊傑雅婷建宏怡君"
    people = [
        User(national_id=national_id(n), name=surnames[n % 10] + given[n % 16] + given[(n * 7) % 16], password="!")
        for n in range(volunteers)
    ]
    User.objects.bulk_create(people, batch_size=1000)
    people = list(User.objects.filter(national_id__in=[p.national_id for p in people]).values_list(
        "id", "national_id", "name"))
    Membership.objects.bulk_create(
        [Membership(volunteer_id=pk, unit=unit, joined_on=dt.date(2020, 1, 1)) for pk, _n, _name in people],
        batch_size=1000,
    )
    return unit.pk, staff.pk, [(number, name) for _pk, number, name in people]


def write_file(path, people, rows):
    """The xlsx a unit would upload, written with openpyxl's write-only mode."""
    from openpyxl import Workbook

    from volnet.records.choices import SERVICE_ITEMS
    from volnet.records.imports import SERVICE_COLUMNS

    rnd = random.Random(114)
    per_person = rows // len(people)
    first = dt.date(2025, 1, 1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("服務時數")
    sheet.append([column.title for column in SERVICE_COLUMNS])
    written = 0
    for serial, (number, name) in enumerate(people):
        for k in range(per_person):
            day = first + dt.timedelta(days=(serial * 3 + k * 7) % 365)  # distinct days per volunteer
            roc = f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"
            start = day if written % 10 == 0 else roc  # one in ten: a real Excel date cell
            sheet.append([number, name, rnd.choice(SERVICE_ITEMS), rnd.choice(CONTENTS), start, roc,
                          rnd.choice(HOURS)])
            written += 1
    book.save(path)
    return written


def bare_scan(path):
    """The baseline: open with openpyxl read-only and touch every row's values."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    count = 0
    for _row in book.worksheets[0].iter_rows(values_only=True):
        count += 1
    book.close()
    return time.perf_counter() - started, count - 1


def whole_import(path, unit_pk, staff_pk):
    from django.db import connections

    from volnet.accounts.models import User
    from volnet.records import imports
    from volnet.units.models import Unit

    connections.close_all()  # a fresh connection in this (forked) process
    unit, staff = Unit.objects.get(pk=unit_pk), User.objects.get(pk=staff_pk)
    gc.collect()
    started = time.perf_counter()
    outcome = imports.import_file(path, unit=unit, registrant=staff, kind=imports.SERVICE, file_name=path.name,
                                  source_label="bench", today=dt.date(2025, 12, 31))
    elapsed = time.perf_counter() - started
    return elapsed, outcome.created, outcome.check.error_count


def read_only(path):
    """For the breakdown: calamine read plus row cleaning, no database."""
    from volnet.records import imports

    started = time.perf_counter()
    sheet = imports.read_file(path, imports.SERVICE, today=dt.date(2025, 12, 31))
    return time.perf_counter() - started, len(sheet.rows)


def run(options):
    rows = QUICK_ROWS if getattr(options, "quick", False) else FULL_ROWS
    url = bench_database("import")
    django_setup(url)
    from django.conf import settings
    from django.db import connections

    database = str(settings.DATABASES["default"]["NAME"])
    if not database.endswith("import.sqlite3"):
        raise RuntimeError(f"Django is already configured for {database}; run `python -m bench import` alone.")

    unit_pk, staff_pk, people = setup_people(VOLUNTEERS)
    path = Path(ROOT) / "var" / "bench" / f"import-{rows}.xlsx"
    started = time.perf_counter()
    written = write_file(path, people, rows)
    print(f"   wrote {written:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s",
          flush=True)
    del people
    connections.close_all()
    gc.collect()

    scan_peak, (scan_seconds, scanned) = peak_memory_mb(bare_scan, path)
    read_peak, (read_seconds, read_rows) = peak_memory_mb(read_only, path)
    import_peak, (import_seconds, created, errors) = peak_memory_mb(whole_import, path, unit_pk, staff_pk)
    if scanned != written or read_rows != written or created != written or errors:
        raise RuntimeError(f"rows: written {written}, scanned {scanned}, read {read_rows}, created {created}, "
                           f"errors {errors}")
    from volnet.records.models import ServiceRecord

    stored = ServiceRecord.objects.count()
    if stored != written:
        raise RuntimeError(f"{stored} rows in the database, expected {written}")
    name = f"import {written // 1000}k rows"
    return [
        Row(name, "bare openpyxl read-only scan (baseline)", scan_seconds, "s"),
        Row(name, "calamine read + row cleaning (no database)", read_seconds, "s", baseline=scan_seconds),
        Row(name, "whole import: read, validate, commit", import_seconds, "s", baseline=scan_seconds,
            goal="ratio ≤ 1.0"),
        Row(name, "import throughput", written / import_seconds, "rows/s"),
        Row(name, "peak memory, whole import", import_peak, "MB", goal="≤ 500 MB"),
        Row(name, "peak memory, bare scan", scan_peak, "MB"),
        Row(name, "peak memory, read + cleaning", read_peak, "MB"),
    ]
