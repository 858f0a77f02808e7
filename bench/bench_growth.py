"""Growth: the 服務時數 tab, the 紀錄冊列印 page and the 統計 page of a city's clerk and of 衛福部 (every unit) at
1,000 volunteers and at national size (1M on PostgreSQL). p95 latency ratio large/small (goal ≤ 1.3) and
queries per page (goal: equal).

The volunteers' pages are first views, as national traffic mostly is: each page is asked for by volunteers
drawn at random, each of them once (no page, session or row of theirs was read before), and the two pages by
different volunteers. The queries are counted on a volunteer's first view too. Both data sets are served at
once (two servers) and asked in turns, small and large alternating in batches: measured one after the other,
the shared machine's load moved the ratio from 0.77× to 1.30× between two runs of the same code.

Data sets are generated once (`generate_data`) into their own PostgreSQL databases and kept between
runs (migrated, and their statistics summed again, when the code has migrations they lack); `--quick` uses
100,000 volunteers instead of 1,000,000. Works from a fresh clone: the query counts render with DEBUG off,
as the server does, so they use the server's collected static files.
"""

import http.client
import os
import statistics
import subprocess
import threading
import time
import urllib.parse

from bench.util import ROOT, Row, gunicorn, kept_dataset, psql, server_env, signed_in_cookies

PAGES = [("服務時數 tab", "/me/services/?tab=services"), ("紀錄冊列印", "/me/record-book/")]
# Pages of authority staff: a 臺中市 clerk (one of generate_data's five authorities) and a 衛福部 clerk, who
# sees every unit (made here as GEN-MOHW): (row name, path, clerk's ID number, authority code).
CLERK_ID = "A298765437"
CENTRAL_ID = "A123456789"
STAFF_PAGES = [("統計 (a city's clerk)", "/backoffice/statistics/", CLERK_ID, "GEN-TXG"),
               ("統計 (衛福部, every unit)", "/backoffice/statistics/", CENTRAL_ID, "GEN-MOHW")]
RECORDS_PER_VOLUNTEER = 20
WARM_UP, MEASURED = 40, 400  # requests per volunteer page, each by a volunteer of its own
STAFF_REQUESTS = 100


def dataset(volunteers):
    """A PostgreSQL database holding `volunteers` generated volunteers, created once and reused."""
    return kept_dataset(f"volnet_bench_{volunteers}", volunteers, max(volunteers // 40, 1), RECORDS_PER_VOLUNTEER)


def _sample_ids(url, count):
    name = urllib.parse.urlparse(url).path.lstrip("/")
    out = psql(f"SELECT national_id FROM accounts_user WHERE national_id LIKE 'K%' ORDER BY random() LIMIT {count}",
               name)
    ids = out.stdout.split()
    if len(ids) != count:
        raise RuntimeError(f"{name}: {len(ids)} volunteers to sample, {count} needed")
    return ids


def latencies(base_url, path, cookies, threads=4):
    """Per-request latency (ms) of GET path, one request per cookie in `cookies`, `threads` at a time."""
    host = urllib.parse.urlparse(base_url)
    results, errors = [], []
    lock = threading.Lock()

    def worker(share):
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        for cookie in share:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (results if response.status == 200 else errors).append(elapsed)
        conn.close()

    pool = [threading.Thread(target=worker, args=(cookies[i::threads],)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} non-200 responses")
    return results


def p95(values):
    return statistics.quantiles(values, n=100)[94]


def queries_per_page(url, national_id, path, first_view_of=None):
    """Queries of one request for the page, after a request by `national_id` has warmed the process; the
    request counted is `first_view_of`'s first when given (a volunteer's page), else a second one."""
    counted = first_view_of or national_id
    code = (
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from django.db import connection\n"
        "from volnet.accounts.models import User\n"
        f"c = Client(HTTP_HOST='127.0.0.1'); c.force_login(User.objects.get(national_id='{national_id}'))\n"
        f"c.get('{path}')\n"
        f"c = Client(HTTP_HOST='127.0.0.1'); c.force_login(User.objects.get(national_id='{counted}'))\n"
        "with CaptureQueriesContext(connection) as q:\n"
        f"    r = c.get('{path}')\n"
        "assert r.status_code == 200, r.status_code\n"
        "print('QUERIES', r.status_code, len(q))\n"
    )
    # DEBUG is off, as in the server: the page's static files come from the manifest the server's
    # collectstatic made (a fresh clone has none in var/static)
    env = server_env(url)
    out = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("QUERIES"):
            _, status, count = line.split()
            return int(count)
    raise RuntimeError(out.stderr[-1500:])


def _clerk(url, national_id, authority_code):
    """An authority clerk of the statistics rows: made once per data set (the generator makes no staff); the
    central authority (衛福部) is made here too."""
    code = (
        "from volnet.accounts.models import User\n"
        "from volnet.units.models import Authority, StaffRole\n"
        f"user = User.objects.filter(national_id='{national_id}').first() or "
        f"User.objects.create_user('{national_id}', 'Generated-2026', name='統計承辦人')\n"
        f"authority, _ = Authority.objects.get_or_create(code='{authority_code}', defaults=dict("
        "name='衛生福利部', level=Authority.Level.CENTRAL))\n"
        "StaffRole.objects.get_or_create(user=user, role='authority_staff', authority=authority)\n"
    )

    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "volnet.settings", "VOLNET_SECURE": "0"}
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                   capture_output=True)


class DataSet:
    """One data set under measurement: its server, its sampled volunteers' sessions and the clerks'."""

    def __init__(self, url):
        self.url = url
        per_page = WARM_UP + MEASURED
        ids = _sample_ids(url, per_page * len(PAGES) + len(PAGES))
        self.counted = ids[-len(PAGES):]  # a volunteer of each page whose first view has its queries counted
        self.first = ids[0]
        for _name, _path, national_id, authority_code in STAFF_PAGES:
            _clerk(url, national_id, authority_code)
        cookies = signed_in_cookies(server_env(url), ids + [national_id for *_rest, national_id, _code in STAFF_PAGES])
        # each volunteer page's own volunteers, each asking once
        self.volunteers = [[cookies[n] for n in ids[i * per_page:(i + 1) * per_page]] for i in range(len(PAGES))]
        self.clerks = {national_id: cookies[national_id] for *_rest, national_id, _code in STAFF_PAGES}
        self.base = None


def _in_turns(sets, path, cookies_of, batches):
    """p95 (ms) of GET path on each data set's server, sent in `batches` turns, small and large alternating, so
    the shared machine's changing load falls on both alike. `cookies_of(data_set)`: its requests' cookies."""
    times = {id(data_set): [] for data_set in sets}
    for batch in range(batches):
        for data_set in sets:
            cookies = cookies_of(data_set)
            share = len(cookies) // batches
            times[id(data_set)] += latencies(data_set.base, path, cookies[batch * share:(batch + 1) * share])
    return [p95(times[id(data_set)]) for data_set in sets]


def measure(small, large):
    """{row name: ((p95 ms large, small), (queries large, small))}, both data sets served at once."""
    figures = {}
    with gunicorn(small.url, workers=2) as small.base, gunicorn(large.url, workers=2) as large.base:
        sets = (large, small)
        for i, (name, path) in enumerate(PAGES):
            for data_set in sets:
                latencies(data_set.base, path, data_set.volunteers[i][:WARM_UP])
            p95s = _in_turns(sets, path, lambda data_set, i=i: data_set.volunteers[i][WARM_UP:], batches=8)
            figures[name] = (p95s, [queries_per_page(d.url, d.first, path, first_view_of=d.counted[i]) for d in sets])
        for name, path, national_id, _code in STAFF_PAGES:
            for data_set in sets:
                latencies(data_set.base, path, [data_set.clerks[national_id]] * 20)  # warm up
            p95s = _in_turns(sets, path, lambda data_set, n=national_id: [data_set.clerks[n]] * STAFF_REQUESTS,
                             batches=4)
            figures[name] = (p95s, [queries_per_page(d.url, national_id, path) for d in sets])
    return figures


def run(options):
    large_size = 100_000 if options.quick else 1_000_000
    figures = measure(DataSet(dataset(1_000)), DataSet(dataset(large_size)))
    rows = []
    for name, *_rest in PAGES + STAFF_PAGES:
        (large_p95, small_p95), (large_queries, small_queries) = figures[name]
        views = (f", first views: {MEASURED} requests by {MEASURED} distinct volunteers"
                 if name in dict(PAGES) else "")
        rows.append(Row("growth", f"{name} p95 at {large_size:,} vs 1,000 volunteers{views}, in turns", large_p95,
                        "ms", baseline=small_p95, goal="≤ 1.3×"))
        rows.append(Row("growth", f"{name} queries per page ({large_size:,} vs 1,000)", large_queries, "queries",
                        baseline=small_queries, goal="= 1.0×"))
    return rows
