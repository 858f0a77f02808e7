"""`make loadtest`: 100 users for 5 minutes of mixed traffic against two app processes sharing
PostgreSQL and Redis, then a lockout check across the processes. Loopback only; exits 1 on any error.
A Celery worker runs beside them on the same Redis (its own queue) and sends their mail to a local sink.

    python -m bench.loadtest [--users 100] [--minutes 5] [--volunteers 2000]
"""

import argparse
import contextlib
import csv
import os
import re
import secrets
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import requests

from bench.util import ROOT, gunicorn, manage

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")

MAKE_TOKENS = """
import datetime as dt, secrets
from django.utils import timezone
from volnet.honorcard import services
from volnet.honorcard.models import CardToken, HonorCard
card = HonorCard.objects.get(number="TC-HC-114-00088")
now = timezone.now()
raws = [secrets.token_urlsafe(18) for _ in range({count})]
CardToken.objects.bulk_create(CardToken(card=card, token_hash=services.hash_token(r), created_at=now,
                              expires_at=now + dt.timedelta(minutes={minutes})) for r in raws)
open({path!r}, "w").write("\\n".join("/honor-card/c/" + r for r in raws))
"""


def _psql(sql):
    url = urllib.parse.urlparse(PG)
    subprocess.run(["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres",
                    "-d", "postgres", "-qc", sql], check=True, capture_output=True)


def prepare(volunteers, workdir, minutes, env):
    name = "volnet_load"
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    manage("migrate", "--noinput", "-v0", database_url=url, env=env)
    manage("seed_demo", "--quiet", database_url=url, env=env)
    manage("generate_data", "--volunteers", str(volunteers), "--units", str(max(volunteers // 40, 1)),
           "--records-per-volunteer", "50", database_url=url, env=env)
    ids = workdir / "volunteers.txt"
    out = subprocess.run(["psql", url, "-tAc",
                          "SELECT national_id FROM accounts_user WHERE national_id LIKE 'K%' ORDER BY id"],
                         capture_output=True, text=True, check=True).stdout.split()
    ids.write_text("\n".join(out[1:]))  # the first one is left for the lockout check
    tokens = workdir / "tokens.txt"
    manage("shell", "-c", MAKE_TOKENS.format(count=20000, minutes=minutes + 5, path=str(tokens)), database_url=url,
           env=env)
    subprocess.run(["redis-cli", "-u", REDIS, "FLUSHDB"], check=True, capture_output=True)
    return url, out[0], ids, tokens


def lockout_holds_across_processes(hosts, national_id, env):
    """Five wrong passwords spread over both processes lock the account on both."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volnet.settings")
    import django

    django.setup()
    from django.contrib.sessions.backends.cache import SessionStore

    def attempt(host, password):
        session = requests.Session()
        page = session.get(host + "/accounts/login/", timeout=10).text
        key = re.search(r'name="captcha_key" value="([^"]+)"', page).group(1)
        code = SessionStore(session_key=session.cookies["sessionid"]).load()["volnet_captcha"][key][0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return session.post(host + "/accounts/login/", timeout=10, data={
            "csrfmiddlewaretoken": token, "national_id": national_id, "password": password,
            "captcha_key": key, "captcha": code})

    for i in range(5):
        attempt(hosts[i % 2], "Wrong-password-2026")
    results = [attempt(host, "Generated-2026") for host in hosts]
    return all("暫停登入" in r.text and "/me/" not in r.url for r in results)


def report(prefix):
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    print("| request | count | failures | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    total_failures = 0
    for row in rows:
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['Median Response Time']} |"
              f" {row['95%']} | {float(row['Max Response Time']):.0f} |")
        if row["Name"] != "Aggregated":
            total_failures += int(row["Failure Count"])
    failures = Path(f"{prefix}_failures.csv")
    if total_failures and failures.exists():
        print(failures.read_text(encoding="utf-8")[:3000])
    return total_failures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make loadtest")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--volunteers", type=int, default=2000)
    options = parser.parse_args(argv)

    from volnet.lib.mailsink import MailSink
    from volnet.tests.celeryworker import Worker

    env = {"REDIS_URL": REDIS, "SECRET_KEY": "load-" + secrets.token_urlsafe(40)}
    workdir = Path(tempfile.mkdtemp(prefix="volnet-load-"))
    url, spare_id, ids, tokens = prepare(options.volunteers, workdir, options.minutes, env)
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(MailSink())
        worker = Worker(REDIS, url, sink.port, visibility_timeout=600)
        env["CELERY_QUEUE"] = worker.queue
        worker.env.update(env)
        stack.callback(worker.stop)
        worker.start()
        hosts = [stack.enter_context(gunicorn(url, workers=2, env=env)) for _ in range(2)]
        prefix = str(workdir / "locust")
        seconds = int(options.minutes * 60)
        print(f"== {options.users} users for {seconds} s against {', '.join(hosts)}", flush=True)
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locustfile.py"), "--headless",
             "-u", str(options.users), "-r", str(max(options.users // 10, 1)), "-t", f"{seconds}s",
             "--csv", prefix, "--only-summary", "--host", hosts[0], "--loglevel", "WARNING"],
            cwd=ROOT, check=False,
            env={**os.environ, **env, "DATABASE_URL": url, "LOAD_HOSTS": ",".join(hosts),
                 "LOAD_VOLUNTEERS": str(ids), "LOAD_TOKENS": str(tokens)},
        )
        failures = report(prefix)
        lock_ok = lockout_holds_across_processes(hosts, spare_id, {**env, "DATABASE_URL": url})
    print(f"\nerrors: {failures}; lockout shared by both processes: {'yes' if lock_ok else 'NO'}")
    return 0 if failures == 0 and lock_ok else 1


if __name__ == "__main__":
    sys.exit(main())
