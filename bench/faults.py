"""`make faults`: what happens when things break. Two app processes (gunicorn) share PostgreSQL.

1. kill -9 of a process in the middle of an Excel import: nothing of the import is written.
2. kill -9 of an app process in the middle of a record-book PDF render: the other keeps serving, and
   the book renders whole afterwards.
3. kill -9 of a Celery worker committing a 40,000-row Excel import: nothing of it is written, and the task
   runs again by itself (acks_late, reject_on_worker_lost) and imports the file once.
4. kill -9 of a Celery worker in the middle of sending a mail (the mail server stalls): the task runs again and
   the mail arrives exactly once.
5. PostgreSQL restarts under load: the app recovers by itself, no restart needed.

Throughout, a client keeps calling the other process; it must see no error except while PostgreSQL
itself is down. Exits 1 when any promise fails. The full disk during a photo upload is a pytest test
(volnet/portal/tests/test_full_disk.py): it needs a tiny file system, not two processes.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

from bench.util import ROOT, django_setup, gunicorn, manage, session_cookie

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
NAME = "volnet_faults"


def psql(sql, database="postgres"):
    url = urllib.parse.urlparse(PG)
    return subprocess.run(["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres",
                           "-d", database, "-tAc", sql], capture_output=True, text=True)


class Poller(threading.Thread):
    """Keeps GETting `path` on `base` with `cookie`; records (time, ok) of every request."""

    def __init__(self, base, path, cookie):
        super().__init__(daemon=True)
        self.base, self.path, self.cookie = base, path, cookie
        self.results = []
        self.running = True

    def run(self):
        while self.running:
            request = urllib.request.Request(self.base + self.path, headers={"Cookie": self.cookie})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    ok = response.status == 200
            except Exception:
                ok = False
            self.results.append((time.monotonic(), ok))
            time.sleep(0.05)

    def errors_between(self, start, end):
        return sum(1 for t, ok in self.results if start <= t <= end and not ok)

    def stop(self):
        self.running = False
        self.join(timeout=15)


def kill_group(process):
    os.killpg(os.getpgid(process.pid), signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(predicate, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def prepare():
    psql(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{NAME}"')
    url = f"{PG}/{NAME}"
    manage("migrate", "--noinput", "-v0", database_url=url)
    manage("seed_demo", "--quiet", database_url=url)
    django_setup(url)
    from bench.bench_import import setup_people, write_file
    from volnet.accounts.models import User
    from volnet.records.models import ServiceRecord
    from volnet.units.models import Unit

    unit_pk, _staff_pk, people = setup_people(400)
    workbook = Path(tempfile.mkdtemp(prefix="volnet-faults-")) / "hours.xlsx"
    write_file(workbook, people, 40_000)
    reader = User.objects.get(national_id="E122333441")
    team = Unit.objects.get(code="2-299")
    first = dt.date(2019, 1, 1)
    ServiceRecord.objects.bulk_create(
        [ServiceRecord(volunteer=reader, unit=team, service_item="綜合服務", content=f"長期服務第{i}次",
                       start_date=first + dt.timedelta(days=i % 2000), end_date=first + dt.timedelta(days=i % 2000),
                       hours=Decimal("2")) for i in range(5000)], batch_size=1000)
    return url, workbook, Unit.objects.get(pk=unit_pk).code, _staff_pk


def import_is_killed(url, workbook, unit_code, poller):
    from volnet.records.models import ServiceRecord

    before = ServiceRecord.objects.count()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_records", str(workbook), "--unit", unit_code, "--no-progress"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    writing = wait_for(lambda: "INSERT" in psql(
        "SELECT string_agg(query, ' ') FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
        " AND query ILIKE 'INSERT INTO \"records_servicerecord\"%'", NAME).stdout, timeout=120)
    started = time.monotonic()
    kill_group(process)
    time.sleep(1)
    after = ServiceRecord.objects.count()
    return [
        ("import was writing when killed", writing),
        (f"nothing of the import was written ({after - before} rows)", after == before),
        ("the other process kept serving", poller.errors_between(started, time.monotonic()) == 0),
    ]


def pdf_render_is_killed(url, poller):
    results = []
    with gunicorn(url, workers=1) as victim:
        cookie = session_cookie(victim, "E122333441", "Volunteer-2026")
        request = urllib.request.Request(victim + "/me/record-book/download/", headers={"Cookie": cookie})
        outcome = {}

        def download():
            try:
                urllib.request.urlopen(request, timeout=60).read()
                outcome["finished"] = True
            except Exception as error:
                outcome["error"] = error

        thread = threading.Thread(target=download)
        thread.start()
        time.sleep(0.8)  # the 5,000-row book takes a few seconds: kill it in the middle
        rendering = thread.is_alive()
        started = time.monotonic()
        kill_group(victim.process)
        thread.join(timeout=30)
        results.append(("the render was under way when killed", rendering and "finished" not in outcome))
        results.append(("the other process kept serving", poller.errors_between(started, time.monotonic() + 1) == 0))
    with gunicorn(url, workers=1) as again:
        cookie = session_cookie(again, "E122333441", "Volunteer-2026")
        body = urllib.request.urlopen(urllib.request.Request(again + "/me/record-book/download/",
                                                            headers={"Cookie": cookie}), timeout=120).read()
        results.append(("afterwards the book renders whole", body.startswith(b"%PDF") and b"%%EOF" in body[-64:]))
    return results


def import_worker_is_killed(worker, workbook, unit_code, staff_pk):
    from volnet.accounts.models import User
    from volnet.records import imports, staging
    from volnet.records.models import ServiceRecord
    from volnet.units.models import Unit

    staff, unit = User.objects.get(pk=staff_pk), Unit.objects.get(code=unit_code)
    data = workbook.read_bytes()
    check = imports.validate(imports.read_file(data, imports.SERVICE), unit)
    token = staging.stage(user=staff, unit=unit, kind=imports.SERVICE, file_name="faults.xlsx", data=data, check=check)
    before = ServiceRecord.objects.count()
    staging.queue_commit(staging.load(token, staff), unit=unit, user=staff, ip="127.0.0.1")
    writing = wait_for(lambda: "INSERT" in psql(
        "SELECT string_agg(query, ' ') FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
        " AND query ILIKE 'INSERT INTO \"records_servicerecord\"%'", NAME).stdout, timeout=120)
    worker.kill()
    time.sleep(1)
    after_kill = ServiceRecord.objects.count()
    worker.start()
    done = wait_for(lambda: (staging.job(staging.load(token, staff)) or {}).get("state") == "done", 300, step=0.5)
    imported = ServiceRecord.objects.count() - before
    return [
        ("import task was writing when its worker was killed", writing),
        (f"nothing of the killed task's import was written ({after_kill - before} rows)", after_kill == before),
        (f"the task ran again by itself and imported the file once ({imported:,} of {len(check.rows):,} rows)",
         done and imported == len(check.rows)),
    ]


def mail_worker_is_killed(worker, sink):
    from volnet.mailer import outbox
    from volnet.mailer.models import Mail

    sink.stall_seconds = 60  # the mail server takes its time: the worker is in the middle of the send
    mail = outbox.queue_message(to="faults@example.tw", subject="fault test", text="exactly once")
    sending = wait_for(lambda: Mail.objects.filter(pk=mail.pk, attempts=1).exists(), timeout=30)
    time.sleep(0.5)
    worker.kill()
    none_yet = sink.wait_for(1, timeout=0.5) == []
    sink.stall_seconds = 0
    worker.start()
    arrived = sink.wait_for(1, timeout=90, to="faults@example.tw")
    time.sleep(3)  # a second copy would come now
    copies = len(sink.wait_for(2, timeout=0.1, to="faults@example.tw"))
    sent = Mail.objects.get(pk=mail.pk).status == Mail.Status.SENT
    return [
        ("a mail task was talking to the mail server when its worker was killed", sending and none_yet),
        (f"the task ran again by itself and the mail arrived once ({copies} {'copy' if copies == 1 else 'copies'})",
         bool(arrived) and copies == 1 and sent),
    ]


def database_restart(poller):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True)
    back = time.monotonic()
    recovered = wait_for(lambda: len(poller.results) > 20 and all(ok for _, ok in poller.results[-20:]), timeout=30)
    healed = time.monotonic()
    errors_after = poller.errors_between(healed, healed + 3)
    time.sleep(3)
    return [
        (f"the app recovered by itself ({healed - back:.1f} s after PostgreSQL was back; restart took "
         f"{back - started:.1f} s; {poller.errors_between(started, healed)} failed requests meanwhile)", recovered),
        ("no errors once recovered", poller.errors_between(healed, time.monotonic()) == 0 and errors_after == 0),
    ]


def main(argv=None):
    """`--workers-only`: the Celery worker faults alone (no app process killed, PostgreSQL not restarted)."""
    workers_only = "--workers-only" in (sys.argv[1:] if argv is None else argv)
    from volnet.lib.mailsink import MailSink
    from volnet.tests.celeryworker import Worker, redis_server

    results = []
    with redis_server() as broker, MailSink() as sink:
        worker = Worker(broker, f"{PG}/{NAME}", sink.port, visibility_timeout=5)
        # This process queues tasks too (through the worker's broker, to its queue).
        os.environ.update(CELERY_BROKER_URL=broker, CELERY_QUEUE=worker.queue, CELERY_TASK_ALWAYS_EAGER="0")
        url, workbook, unit_code, staff_pk = prepare()
        with gunicorn(url, workers=2) as survivor:
            cookie = session_cookie(survivor, "F135792464", "Volunteer-2026")
            poller = Poller(survivor, "/me/services/?tab=services", cookie)
            poller.start()
            time.sleep(1)
            if not workers_only:
                results += import_is_killed(url, workbook, unit_code, poller)
                results += pdf_render_is_killed(url, poller)
            worker.start()
            try:
                results += import_worker_is_killed(worker, workbook, unit_code, staff_pk)
                results += mail_worker_is_killed(worker, sink)
            finally:
                worker.stop()
            from django.db import connections

            connections.close_all()
            if not workers_only:
                results += database_restart(poller)
            poller.stop()
    print("| fault | result |\n|---|---|")
    for label, ok in results:
        print(f"| {label} | {'ok' if ok else 'FAILED'} |")
    psql(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
