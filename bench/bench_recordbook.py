"""Record-book PDF: our code against the bare ReportLab engine, peak memory, and other requests meanwhile.

1. 500 service rows with a cover photo, rendered by our code (queries, cover, photo, wrapping, page
   header and `第 N 頁／共 M 頁`, the verification code and QR code, the PAdES signature and the record of
   the issued document), against the bare engine drawing the same table (the same rows as
   strings, same font, same column widths, `Table(repeatRows=1)` in a `SimpleDocTemplate`) in the same
   run. Goal ≤ 1.25× and about 1 s or less.
2. The same for 5,000 rows, and the peak resident memory of a process rendering it (goal ≤ 300 MB).
3. Under gunicorn (2 sync workers): /healthz latency while a 5,000-row book is being downloaded,
   against idle; and a second download of the same book (served from the cache).

`--quick`: 500 and 1,000 rows, one repetition, no server.
"""

import datetime as dt
import io
import os
import statistics
import threading
import time
import urllib.request
from decimal import Decimal

from bench.util import ROOT, Row, bench_database, django_setup, gunicorn, peak_memory_mb, session_cookie

NAME = "recordbook"
BEAR = "E122333441"  # the demo volunteer: record book, photo
CHEN = "F135792464"  # the demo's second volunteer, given the big book
PASSWORD = "Volunteer-2026"
MEDIA = ROOT / "var" / "bench" / "media"


def _prepare(small, big):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from volnet.accounts.models import User
    from volnet.demo import images
    from volnet.records.models import ServiceRecord
    from volnet.units.models import Unit

    call_command("seed_demo", quiet=True)
    bear = User.objects.get(national_id=BEAR)
    chen = User.objects.get(national_id=CHEN)
    if not chen.photo:
        chen.photo.save("bench-chen.jpg", ContentFile(images.portrait_jpeg()), save=True)
    units = list(Unit.objects.order_by("id"))
    registrant = User.objects.get(national_id="B223456782")
    contents = ["電話問安", "關懷訪視與陪伴就醫", "圖書推車服務", "社區關懷據點共餐協助及環境整理", "行政支援"]

    def fill(person, rows):
        have = ServiceRecord.objects.filter(volunteer=person).count()
        start = dt.date(2015, 1, 1)
        ServiceRecord.objects.bulk_create(
            [ServiceRecord(volunteer=person, unit=units[i % len(units)], registrant=registrant,
                           service_item="綜合服務", content=contents[i % len(contents)],
                           start_date=start + dt.timedelta(days=i % 3600),
                           end_date=start + dt.timedelta(days=i % 3600 + i % 30), hours=Decimal("2.5"))
             for i in range(rows - have)],
            batch_size=2000,
        )

    fill(bear, small)
    fill(chen, big)
    return bear, chen


def _ours(user):
    """The book as a volunteer downloads it: drawn with its verification code and QR code, signed (PAdES)
    and recorded as an issued document."""
    from volnet.recordbook import cache
    from volnet.recordbook.queries import Filters

    return len(cache.issue(user, Filters())[0])


def _bare(rows, columns):
    """The bare engine: the same table (the same cell text, wrapped the same), same font, nothing else."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from volnet.documents import fonts

    font = fonts.register()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, initialFontName=font)
    table = Table([[c.label for c in columns], *rows], colWidths=[c.width * mm for c in columns], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    doc.build([table])
    return len(out.getvalue())


def _seconds(function, *args, repeat, clock=time.process_time):
    """Median time of `repeat` calls. CPU time by default: on a shared 2-core machine the wall clock
    also counts other people's work, the CPU time only ours."""
    times = []
    for _ in range(repeat):
        started = clock()
        function(*args)
        times.append(clock() - started)
    return statistics.median(times)


def _alternating(ours, bare, repeat):
    """Median CPU times of `ours` and `bare`, run in turns: on a shared machine the load changes from one
    minute to the next, and timing all of one before all of the other measured the load as much as the code."""
    times = ([], [])
    for _ in range(repeat):
        for function, kept in zip((ours, bare), times, strict=True):
            started = time.process_time()
            function()
            kept.append(time.process_time() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def _compare(user, label, repeat, goal):
    from volnet.recordbook import pdf, queries
    from volnet.recordbook.queries import Filters

    section = queries.tab("service").section(user, Filters())
    cells = pdf.cell_texts(section)
    _ours(user)  # warm up: fonts, imports
    _bare(cells, section.columns)
    ours, bare = _alternating(lambda: _ours(user), lambda: _bare(cells, section.columns), repeat=repeat)
    wall = _seconds(_ours, user, repeat=repeat, clock=time.perf_counter)
    return [
        Row(NAME, f"PDF, {section.count:,} service rows + cover photo: ours vs bare ReportLab (CPU)", ours, "s",
            baseline=bare, goal=goal),
        Row(NAME, f"PDF, {section.count:,} service rows + cover photo: ours, wall clock", wall, "s",
            goal="≈ 1 s" if section.count <= 500 else ""),
    ]


def _get(url, cookie, timeout=120):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
    return time.perf_counter() - started, body


def _p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _redis_answers():
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _server(database_url, big_rows):
    rows = []
    env = {"MEDIA_ROOT": str(MEDIA)}
    if _redis_answers():  # the cache shared by both workers, as in production
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    with gunicorn(database_url, workers=2, env=env) as base:
        cookie = session_cookie(base, CHEN, PASSWORD)
        idle = [_get(base + "/healthz", "")[0] * 1000 for _ in range(100)]
        during, done = [], threading.Event()
        result = {}

        def download():
            result["seconds"], result["body"] = _get(base + "/me/record-book/download/", cookie)
            done.set()

        worker = threading.Thread(target=download)
        worker.start()
        time.sleep(0.2)
        while not done.is_set():
            during.append(_get(base + "/healthz", "")[0] * 1000)
            time.sleep(0.02)
        worker.join()
        if not result["body"].startswith(b"%PDF"):
            raise RuntimeError("the download did not return a PDF")
        rows.append(Row(NAME, f"download of a {big_rows:,}-row book through gunicorn", result["seconds"], "s"))
        rows.append(Row(NAME, f"/healthz p95 while a {big_rows:,}-row book renders (2 workers)", _p95(during), "ms",
                        baseline=_p95(idle), goal="other requests keep flowing"))
        again, _ = _get(base + "/me/record-book/download/", cookie)
        rows.append(Row(NAME, f"second download of the same {big_rows:,}-row book (cache)", again, "s",
                        baseline=result["seconds"], goal="≪ first"))
    return rows


def run(options):
    small, big = (500, 1000) if options.quick else (500, 5000)
    repeat = 1 if options.quick else 9
    MEDIA.mkdir(parents=True, exist_ok=True)
    database_url = bench_database(NAME)
    django_setup(database_url, MEDIA_ROOT=str(MEDIA))
    from django.db import connections

    bear, chen = _prepare(small, big)
    connections.close_all()  # the child process opens its own connection
    peak, size = peak_memory_mb(_ours, chen)  # first, while this process is still small
    rows = _compare(bear, "500", repeat, "≤ 1.25×")
    rows += _compare(chen, str(big), max(1, repeat // 2), "(indication)")
    rows.append(Row(NAME, f"peak memory of a process rendering {big:,} rows ({size / 1024:,.0f} KB PDF)", peak,
                    "MB", goal="≤ 300 MB"))
    if not options.quick:
        rows += _server(database_url, big)
    os.environ.pop("MEDIA_ROOT", None)
    return rows
