"""我的檔案 › 服務紀錄 › 服務時數 for a volunteer with 500 records, 50 concurrent clients, against the
bare authenticated view (/bench/bare) in the same server and run. Goal: ≥ 0.6× the bare throughput.

Both URLs pay the same session load and save (SESSION_SAVE_EVERY_REQUEST). The page is cached per
volunteer, page and day and keyed by a fingerprint of the records, so every request still runs the
fingerprint query; the first request of each page builds the cache. A second server with the cache
switched off (bench/portal_uncached_settings.py) shows what a request costs when nothing is reused.
"""

import statistics
import urllib.request

from bench.util import Row, bench_database, gunicorn, manage, session_cookie, wrk

VOLUNTEER = "E122333441"
PASSWORD = "Volunteer-2026"
RECORDS = 500

FILL = """
import datetime as dt
from decimal import Decimal
from volnet.accounts.models import User
from volnet.records.models import ServiceRecord
from volnet.units.models import Unit
bear = User.objects.get(national_id={volunteer!r})
units = list(Unit.objects.order_by("id"))
registrant = User.objects.get(national_id="B223456782")
have = ServiceRecord.objects.filter(volunteer=bear).count()
ServiceRecord.objects.bulk_create(
    ServiceRecord(volunteer=bear, unit=units[i % len(units)], registrant=registrant, service_item="綜合服務",
                  content=f"電話問安 {{i}}", start_date=dt.date(2012, 1, 1) + dt.timedelta(days=9 * i),
                  end_date=dt.date(2012, 1, 1) + dt.timedelta(days=9 * i), hours=Decimal("2.5"))
    for i in range({records} - have)
)
assert ServiceRecord.objects.filter(volunteer=bear).count() == {records}
"""


BARE = ("bare authenticated view", "/bench/bare")
PAGE_1 = ("服務時數 tab, page 1 (500 records)", "/me/services/?tab=services")
PAGE_2 = ("服務時數 tab, page 2 (500 records)", "/me/services/?tab=services&page=2")


def _measure(url, targets, rounds, seconds, env=None):
    """{label: (median req/s, median p99 ms)} for each target, interleaved rounds in one server."""
    results = {label: [] for label, _ in targets}
    with gunicorn(url, workers=2, env=env) as base:
        cookie = session_cookie(base, VOLUNTEER, PASSWORD)
        for _, path in targets[1:]:  # each worker builds its cache (if any) on its first requests
            for _ in range(4):
                request = urllib.request.Request(base + path, headers={"Cookie": cookie})
                body = urllib.request.urlopen(request, timeout=30).read().decode()
                assert "共有：500筆" in body, "the page does not show the 500 records"
        wrk(base + targets[0][1], cookie, connections=50, seconds=1)  # warm-up
        # Interleaved rounds, median of each: the machine is shared, and its load drifts.
        for _ in range(rounds):
            for label, path in targets:
                results[label].append(wrk(base + path, cookie, connections=50, seconds=seconds))
    return {
        label: (statistics.median(rps for rps, _ in runs), statistics.median(lat.get(99, 0) for _, lat in runs))
        for label, runs in results.items()
    }


def run(options):
    seconds, rounds = (3, 1) if options.quick else (5, 3)
    url = bench_database("portal")
    manage("seed_demo", "--quiet", database_url=url)
    manage("shell", "-c", FILL.format(volunteer=VOLUNTEER, records=RECORDS), database_url=url)

    cached = _measure(url, [BARE, PAGE_1, PAGE_2], rounds, seconds)
    bare_rps, bare_p99 = cached[BARE[0]]
    rows = [Row("portal", BARE[0], bare_rps, "req/s", goal="baseline")]
    for label, _ in (PAGE_1, PAGE_2):
        rps, p99 = cached[label]
        rows.append(Row("portal", label, rps, "req/s", baseline=bare_rps, goal="≥ 0.6×"))
        rows.append(Row("portal", f"{label}: p99 latency", p99, "ms", baseline=bare_p99))

    # The same page with its cache switched off: what every request costs when nothing is reused.
    uncached = _measure(url, [BARE, PAGE_1], rounds, seconds,
                        env={"DJANGO_SETTINGS_MODULE": "bench.portal_uncached_settings"})
    rows.append(Row("portal", f"{PAGE_1[0]}, cache off", uncached[PAGE_1[0]][0], "req/s",
                    baseline=uncached[BARE[0]][0], goal="(for comparison)"))
    return rows
