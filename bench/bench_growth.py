"""Growth: the 服務時數 tab, the 紀錄冊列印 page and the 統計 page of a city's clerk and of 衛福部 (every unit) at
1,000 volunteers and at national size (1M on PostgreSQL). p95 latency ratio large/small (goal ≤ 1.3) and
queries per page (goal: equal).

Data sets are generated once (`generate_data`) into their own PostgreSQL databases and kept between
runs (migrated, and their statistics summed again, when the code has migrations they lack); `--quick` uses
100,000 volunteers instead of 1,000,000. Works from a fresh clone: the query counts render with DEBUG off,
as the server does, so they use the server's collected static files.
"""

import http.client
import os
import random
import statistics
import subprocess
import threading
import time
import urllib.parse

from bench.util import ROOT, Row, gunicorn, manage, server_env, session_cookie

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PAGES = [("服務時數 tab", "/me/services/?tab=services"), ("紀錄冊列印", "/me/record-book/")]
# Pages of authority staff: a 臺中市 clerk (one of generate_data's five authorities) and a 衛福部 clerk, who
# sees every unit (made here as GEN-MOHW): (row name, path, clerk's ID number, authority code).
CLERK_ID = "A298765437"
CENTRAL_ID = "A123456789"
STAFF_PAGES = [("統計 (a city's clerk)", "/backoffice/statistics/", CLERK_ID, "GEN-TXG"),
               ("統計 (衛福部, every unit)", "/backoffice/statistics/", CENTRAL_ID, "GEN-MOHW")]
RECORDS_PER_VOLUNTEER = 20


def _psql(sql, database="postgres"):
    url = urllib.parse.urlparse(PG)
    return subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d", database,
         "-tAc", sql], capture_output=True, text=True,
    )


def dataset(volunteers):
    """A PostgreSQL database holding `volunteers` generated volunteers, created once and reused."""
    name = f"volnet_bench_{volunteers}"
    url = f"{PG}/{name}"
    probe = _psql("SELECT count(*) FROM accounts_user WHERE national_id LIKE 'K%'", name)
    if probe.returncode == 0 and probe.stdout.strip() == str(volunteers):
        _up_to_date(url)
        return url
    _psql(f'DROP DATABASE IF EXISTS "{name}"')
    _psql(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0", database_url=url)
    units = max(volunteers // 40, 1)
    print(f"   generating {volunteers:,} volunteers (once; kept in database {name})", flush=True)
    manage("generate_data", "--volunteers", str(volunteers), "--units", str(units),
           "--records-per-volunteer", str(RECORDS_PER_VOLUNTEER), database_url=url)
    return url


def _up_to_date(url):
    """A kept data set made by older code: apply the migrations it lacks, and when one of them is the
    statistics' (a new summary table starts empty) sum the statistics again (16 minutes at 20M records).
    Nothing to do, nothing done."""
    env = {**os.environ, "DATABASE_URL": url}
    plan = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "showmigrations", "--plan"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True).stdout
    pending = [line.split()[-1] for line in plan.splitlines() if line.startswith("[ ]")]
    if pending:
        print(f"   migrating the kept data set {urllib.parse.urlparse(url).path.lstrip('/')}: {', '.join(pending)}",
              flush=True)
        manage("migrate", "--noinput", "-v0", database_url=url)
        if any(name.startswith("statistics.") for name in pending):
            manage("rebuild_statistics", "--quiet-bar", database_url=url)


def _sample_ids(url, count):
    name = urllib.parse.urlparse(url).path.lstrip("/")
    out = _psql(f"SELECT national_id FROM accounts_user WHERE national_id LIKE 'K%' ORDER BY random() LIMIT {count}",
                name)
    return out.stdout.split()


def latencies(base_url, path, cookies, requests=400, threads=4):
    """Per-request latency (ms) of GET path, each request signed in as a random sampled volunteer."""
    host = urllib.parse.urlparse(base_url)
    results, errors = [], []
    lock = threading.Lock()
    per_thread = requests // threads

    def worker(seed):
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        for _ in range(per_thread):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": rnd.choice(cookies)})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (results if response.status == 200 else errors).append(elapsed)
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} non-200 responses")
    return results


def p95(values):
    return statistics.quantiles(values, n=100)[94]


def queries_per_page(url, national_id, path):
    code = (
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from django.db import connection\n"
        "from volnet.accounts.models import User\n"
        f"c = Client(HTTP_HOST='127.0.0.1'); c.force_login(User.objects.get(national_id='{national_id}'))\n"
        f"c.get('{path}')\n"
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


def measure(url, label):
    ids = _sample_ids(url, 30)
    for _name, _path, national_id, authority_code in STAFF_PAGES:
        _clerk(url, national_id, authority_code)
    figures = {}
    with gunicorn(url, workers=2) as base:
        cookies = [session_cookie(base, n, "Generated-2026") for n in ids]
        for name, path in PAGES:
            latencies(base, path, cookies, requests=40)  # warm up
            figures[name] = (p95(latencies(base, path, cookies)), queries_per_page(url, ids[0], path))
        for name, path, national_id, _code in STAFF_PAGES:
            clerk = [session_cookie(base, national_id, "Generated-2026")]
            latencies(base, path, clerk, requests=20)  # warm up
            figures[name] = (p95(latencies(base, path, clerk, requests=100)), queries_per_page(url, national_id, path))
    return figures


def run(options):
    large_size = 100_000 if options.quick else 1_000_000
    small = measure(dataset(1_000), "1k")
    large = measure(dataset(large_size), "large")
    rows = []
    for name, *_rest in PAGES + STAFF_PAGES:
        rows.append(Row("growth", f"{name} p95 at {large_size:,} vs 1,000 volunteers", large[name][0], "ms",
                        baseline=small[name][0], goal="≤ 1.3×"))
        rows.append(Row("growth", f"{name} queries per page ({large_size:,} vs 1,000)", large[name][1], "queries",
                        baseline=small[name][1], goal="= 1.0×"))
    return rows
