"""我的檔案 › 服務紀錄 › 服務時數 for a volunteer with 500 records, 50 concurrent clients, against the
bare authenticated view (/bench/bare) in the same server and run. Goal: ≥ 0.6× the bare throughput.

Both URLs pay the same session load and save (SESSION_SAVE_EVERY_REQUEST). The tab's HTML is cached
per volunteer, page and day and keyed by a fingerprint of the records, so every request still runs
the fingerprint query; the first request of each page builds the cache.
"""

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


def run(options):
    seconds = 3 if options.quick else 10
    url = bench_database("portal")
    manage("seed_demo", "--quiet", database_url=url)
    manage("shell", "-c", FILL.format(volunteer=VOLUNTEER, records=RECORDS), database_url=url)
    rows = []
    with gunicorn(url, workers=2) as base:
        cookie = session_cookie(base, VOLUNTEER, PASSWORD)
        pages = [("服務時數 tab, page 1", "/me/services/?tab=services"),
                 ("服務時數 tab, page 2", "/me/services/?tab=services&page=2")]
        for _, path in pages:  # each worker builds its cache on its first requests
            for _ in range(4):
                request = urllib.request.Request(base + path, headers={"Cookie": cookie})
                body = urllib.request.urlopen(request, timeout=10).read().decode()
                assert "共有：500筆" in body, "the page does not show the 500 records"
        wrk(base + "/bench/bare", cookie, connections=50, seconds=1)  # warm-up
        bare_rps, bare_latency = wrk(base + "/bench/bare", cookie, connections=50, seconds=seconds)
        rows.append(Row("portal", "bare authenticated view", bare_rps, "req/s", goal="baseline"))
        for label, path in pages:
            rps, latency = wrk(base + path, cookie, connections=50, seconds=seconds)
            rows.append(Row("portal", f"{label} (500 records)", rps, "req/s", baseline=bare_rps, goal="≥ 0.6×"))
            rows.append(Row("portal", f"{label} p99 latency", latency.get(99, 0), "ms",
                            baseline=bare_latency.get(99), goal=""))
    return rows
