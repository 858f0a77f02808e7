"""`make faults`: what happens when things break. Two app processes (gunicorn) share PostgreSQL.

1. kill -9 of a process in the middle of an Excel import: nothing of the import is written.
2. kill -9 of an app process in the middle of a record-book PDF render: the other keeps serving, and
   the book renders whole afterwards.
3. kill -9 of a Celery worker committing a 40,000-row Excel import: nothing of it is written, and the task
   runs again by itself (acks_late, reject_on_worker_lost) and imports the file once.
4. kill -9 of a Celery worker in the middle of sending a mail (the mail server stalls): the task runs again and
   the mail arrives exactly once.
5. PostgreSQL restarts under load: the app recovers by itself, no restart needed.
6. A streaming replica (bench/replica.py, a copy of the machine's cluster) serves the volunteer pages: its lag
   while the primary takes a stream of writes; read-your-writes while it lags; stopped, reads go to the primary
   with no error; started again, reads return to it.

Throughout, a client keeps calling the other process; it must see no error except while PostgreSQL
itself is down. Exits 1 when any promise fails. The full disk during a photo upload is a pytest test
(volnet/portal/tests/test_full_disk.py): it needs a tiny file system, not two processes.
"""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

from bench import replica
from bench.util import PG, ROOT, Browser, django_setup, gunicorn, manage, psql, session_cookie

NAME = "volnet_faults"


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
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    ok = response.status == 200
            except Exception:
                ok = False
            self.results.append((time.monotonic(), ok, time.monotonic() - started))
            time.sleep(0.05)

    def errors_between(self, start, end):
        return sum(1 for t, ok, _ in self.results if start <= t <= end and not ok)

    def slowest_between(self, start, end):
        return max((seconds for t, _, seconds in self.results if start <= t <= end), default=0.0)

    def count_between(self, start, end):
        return sum(1 for t, _, _ in self.results if start <= t <= end)

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
    recovered = wait_for(lambda: len(poller.results) > 20 and all(ok for _, ok, _ in poller.results[-20:]), timeout=30)
    healed = time.monotonic()
    errors_after = poller.errors_between(healed, healed + 3)
    time.sleep(3)
    return [
        (f"the app recovered by itself ({healed - back:.1f} s after PostgreSQL was back; restart took "
         f"{back - started:.1f} s; {poller.errors_between(started, healed)} failed requests meanwhile)", recovered),
        ("no errors once recovered", poller.errors_between(healed, time.monotonic()) == 0 and errors_after == 0),
    ]


def replica_faults(url, seconds=20):
    """The volunteer pages served through a streaming replica of the machine's cluster (bench/replica.py)."""
    from volnet import dbrouter

    results = []
    with replica.running(PG) as standby, \
            gunicorn(url, workers=2, env={"DATABASE_REPLICA_URL": standby.url(NAME)}) as app:
        results += replica_lags_under_writes(url, standby, seconds)
        results += own_writes_are_read_back(app, url, standby)
        volunteer = Browser(app)
        volunteer.sign_in("F135792464", "Volunteer-2026")
        volunteer.forget(dbrouter.PIN_COOKIE)  # its reads go to the replica at once, not 15 s after signing in
        cookie = "; ".join(f"{c.name}={c.value}" for c in volunteer.jar)
        pollers = [Poller(app, "/me/profile/", cookie) for _ in range(3)]  # some request is always under way
        for poller in pollers:
            poller.start()
        time.sleep(2)
        results += replica_is_stopped(standby, pollers)
        results += replica_is_back(standby, pollers)
        for poller in pollers:
            poller.stop()
    return results


def replica_lags_under_writes(url, standby, seconds):
    """How long a change takes to show on the replica while the primary takes a stream of the app's writes."""
    from django.db import connection

    from volnet import dbrouter
    from volnet.accounts.models import User
    from volnet.records.models import ServiceRecord
    from volnet.units.models import Unit

    volunteer, team = User.objects.get(national_id="F135792464"), Unit.objects.get(code="2-299")
    done, written = threading.Event(), [0]

    def write():
        try:
            while not done.is_set():
                ServiceRecord.objects.bulk_create([
                    ServiceRecord(volunteer=volunteer, unit=team, service_item="綜合服務", content="寫入負載",
                                  start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 1), hours=Decimal("1"))
                    for _ in range(200)])
                written[0] += 200
        finally:
            connection.close()

    delays = []
    with replica.connect(url) as primary, replica.connect(standby.url(NAME)) as copy:
        primary.execute("CREATE TABLE IF NOT EXISTS bench_replica_lag (id serial PRIMARY KEY)")
        standby.caught_up_with(url, 60)
        writer = threading.Thread(target=write)
        writer.start()
        started = time.monotonic()
        while time.monotonic() < started + seconds:
            marker = primary.execute("INSERT INTO bench_replica_lag DEFAULT VALUES RETURNING id").fetchone()[0]
            committed = time.monotonic()
            while not copy.execute("SELECT EXISTS (SELECT FROM bench_replica_lag WHERE id = %s)",
                                   (marker,)).fetchone()[0]:
                if time.monotonic() > committed + 120:
                    break
                time.sleep(0.002)
            delays.append(time.monotonic() - committed)
            time.sleep(0.2)
        done.set()
        writer.join()
        elapsed = time.monotonic() - started
        primary.execute("DROP TABLE bench_replica_lag")
    delays.sort()
    median, slowest = delays[len(delays) // 2], delays[-1]
    return [(f"replica lag while the primary took {written[0]:,} service records in {elapsed:.0f} s "
             f"({written[0] / elapsed:,.0f}/s): a change showed on the replica after {median * 1000:,.0f} ms "
             f"(median of {len(delays)}), {slowest * 1000:,.0f} ms at most; read-your-writes covers "
             f"{dbrouter.PIN_SECONDS} s", slowest < dbrouter.PIN_SECONDS)]


def own_writes_are_read_back(app, url, standby, changes=10):
    """With the replica's replay paused (as far behind as a replica gets), a volunteer's own changes still show on
    the next page; the same page without the browser's mark of a recent write shows the replica's older copy."""
    from volnet import dbrouter

    def address(browser):
        return re.search(r'name="address"[^>]*value="([^"]*)"', browser.get("/me/profile/")[1]).group(1)

    volunteer = Browser(app)
    volunteer.sign_in("E122333441", "Volunteer-2026")
    standby.caught_up_with(url, 60)
    before = address(volunteer)
    standby.pause_replay()
    try:
        seen = 0
        for n in range(changes):
            new = f"臺中市西區民權路 {n + 100} 號"
            status, _, _ = volunteer.post("/me/profile/", {**volunteer.form("/me/profile/"), "address": new})
            seen += status == 200 and address(volunteer) == new
        volunteer.forget(dbrouter.PIN_COOKIE)
        replica_copy = address(volunteer)
    finally:
        standby.resume_replay()
    return [(f"read-your-writes with the replica's replay paused: the volunteer's own change showed on the next "
             f"page {seen} of {changes} times; without the mark of the write the page showed the replica's older "
             f"address (it reads the replica)", seen == changes and replica_copy == before)]


def replica_is_stopped(standby, pollers, seconds=8):
    stopped = time.monotonic()
    standby.stop()
    time.sleep(seconds)
    end = time.monotonic()
    errors = sum(p.errors_between(stopped, end) for p in pollers)
    reads = sum(p.count_between(stopped, end) for p in pollers)
    slowest = max(p.slowest_between(stopped, end) for p in pollers)
    return [(f"replica stopped under 3 readers: {reads} reads in the {seconds} s after went to the primary, "
             f"{errors} errors, slowest {slowest:.2f} s", errors == 0 and reads > 0 and slowest < 3)]


def replica_is_back(standby, pollers):
    from volnet import dbrouter

    standby.start()
    up = time.monotonic()

    def app_reads_there():
        return replica.query(standby.url(), "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                             "AND backend_type = 'client backend'", NAME) > 0

    returned = wait_for(app_reads_there, timeout=dbrouter.RETRY_SECONDS + 10, step=0.1)
    back = time.monotonic()
    time.sleep(2)
    errors = sum(p.errors_between(up, time.monotonic()) for p in pollers)
    return [(f"replica started again: the app's reads returned to it {back - up:.1f} s after it was up (it is "
             f"retried every {dbrouter.RETRY_SECONDS} s), {errors} errors", returned and errors == 0)]


def other_faults(url, workbook, unit_code, staff_pk, worker, sink, workers_only):
    results = []
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
    return results


def main(argv=None):
    """`--workers-only`: the Celery worker faults alone (no app process killed, PostgreSQL not restarted).
    `--replica-only`: the replica's rows alone (the machine's PostgreSQL not restarted)."""
    argv = sys.argv[1:] if argv is None else argv
    workers_only, replica_only = "--workers-only" in argv, "--replica-only" in argv
    from volnet.lib.mailsink import MailSink
    from volnet.tests.celeryworker import Worker, redis_server

    results = []
    with redis_server() as broker, MailSink() as sink:
        worker = Worker(broker, f"{PG}/{NAME}", sink.port, visibility_timeout=5)
        # This process queues tasks too (through the worker's broker, to its queue).
        os.environ.update(CELERY_BROKER_URL=broker, CELERY_QUEUE=worker.queue, CELERY_TASK_ALWAYS_EAGER="0")
        url, workbook, unit_code, staff_pk = prepare()
        if not replica_only:
            results += other_faults(url, workbook, unit_code, staff_pk, worker, sink, workers_only)
        if not workers_only:
            results += replica_faults(url)
    print("| fault | result |\n|---|---|")
    for label, ok in results:
        print(f"| {label} | {'ok' if ok else 'FAILED'} |")
    psql(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
