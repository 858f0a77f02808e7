"""`make loadtest`: locust users for 5 minutes against two app processes sharing PostgreSQL and Redis, then a
lockout check across the processes, and what the serving processes spent in CPU. Loopback only; exits 1
on any error. A Celery worker runs beside them on the same Redis and sends their mail to a local sink.

    python -m bench.loadtest [--data national|demo] [--users 100] [--minutes 5] [--sample 20000]

--data national (the default): the national data set, database volnet_bench_1000000 (1,000,000 volunteers,
25,000 units, 20,000,000 service records; made once by `make bench BENCH_ARGS=growth`, about 50 minutes).
It is used as it is. What the traffic needs beside it is made once and kept, as the growth benchmark keeps its
clerks: a supervisor (ID numbers L…) for 1,000 of the units and 2,000 honor cards (numbers LOAD-…). What a
run writes (the month's hours, QR codes and their checks) is deleted afterwards, through the models, so the
statistics' summary rows follow.
--data demo: a fresh database `volnet_load` (seed_demo and --volunteers generated volunteers), as before.

The traffic (bench/locustfile.py) is national traffic: each volunteer visit is a different sampled volunteer,
so nearly every page is a first view; a share of visits starts at the real sign-in form (captcha, Argon2),
the others with a session written beforehand into the session store (what a sign-in leaves there: no
Argon2 for 20,000 volunteers before the run). Unit supervisors enter a month's hours in the grid, venue
staff check honor cards, authority clerks read the statistics.

CPU, read from /proc over the run: the app (both gunicorn processes and their workers, the Celery worker),
PostgreSQL's backends serving them (found by application_name in pg_stat_activity, sampled twice a second,
on each cluster), and the run's own redis-server. Requests per second per core = requests / CPU seconds.
Each request kind's CPU is measured in the workers by bench/cpu_hooks.py.
"""

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psutil
import psycopg
import redis
import requests

from bench import bench_growth
from bench.util import (
    PG,
    ROOT,
    _up_to_date,
    captcha_code,
    django_setup,
    form_value,
    gunicorn,
    manage,
    psql,
    session_for,
)

NATIONAL = "volnet_bench_1000000"
PASSWORD = "Generated-2026"  # generate_data's, every generated volunteer's
STAFF_UNITS = 1000
CARDS = 2000
MONTHS = [f"115/{month:02d}" for month in range(11, 0, -1)]  # the grid's months, newest first


def _psql(sql, database="postgres"):
    return psql(sql, database, check=True).stdout


def national_database():
    count = psql("SELECT count(*) FROM accounts_user WHERE national_id LIKE 'K%'", NATIONAL)
    if count.returncode != 0 or count.stdout.strip() != "1000000":
        raise SystemExit(f"The national data set ({NATIONAL}) is missing or incomplete: make it once with "
                         "`make bench BENCH_ARGS=growth` (about 50 minutes), or run "
                         "`make loadtest LOAD_ARGS='--data demo'`.")
    url = f"{PG}/{NATIONAL}"
    _up_to_date(url)
    return url


def demo_database(volunteers, env):
    name = "volnet_load"
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    manage("migrate", "--noinput", "-v0", database_url=url, env=env)
    manage("seed_demo", "--quiet", database_url=url, env=env)
    manage("generate_data", "--volunteers", str(volunteers), "--units", str(max(volunteers // 40, 1)),
           "--records-per-volunteer", "50", database_url=url, env=env)
    return url


# --- what the traffic needs (in this process, through the models) ---------------------------------------------


def supervisors(count):
    """[(user, unit id)]: a supervisor (ID number L…) for `count` generated units spread over all of them, made
    once per data set with the generated volunteers' password."""
    from volnet.accounts.models import User
    from volnet.demo.management.commands.generate_data import generated_id
    from volnet.units.models import StaffRole, Unit

    unit_ids = list(Unit.objects.filter(code__startswith="G-").order_by("code").values_list("id", flat=True))
    chosen = unit_ids[:: max(len(unit_ids) // count, 1)][:count]
    password = User.objects.filter(national_id__startswith="K").values_list("password", flat=True).first()
    existing = {u.national_id: u for u in User.objects.filter(national_id__startswith="L")}
    pairs = []
    for i, unit_id in enumerate(chosen):
        national_id = generated_id(i, "L")
        user = existing.get(national_id) or User.objects.create(
            national_id=national_id, name=f"負載測試督導{i}", password=password, birth_date=dt.date(1980, 1, 1),
            sex="F", email=f"load{i}@example.tw")
        pairs.append((user, unit_id))
    roles = set(StaffRole.objects.filter(user__national_id__startswith="L", role=StaffRole.Role.SUPERVISOR)
                .values_list("user_id", "unit_id"))
    StaffRole.objects.bulk_create([StaffRole(user=user, role=StaffRole.Role.SUPERVISOR, unit_id=unit_id)
                                   for user, unit_id in pairs if (user.pk, unit_id) not in roles])
    return pairs


def honor_cards(count):
    """`count` valid honor cards (numbers LOAD-…) of generated volunteers spread over all of them, made once."""
    from volnet.accounts.models import User
    from volnet.demo.management.commands.generate_data import generated_id
    from volnet.honorcard.models import HonorCard
    from volnet.units.models import Authority

    total = User.objects.filter(national_id__startswith="K").count()
    have = set(HonorCard.objects.filter(number__startswith="LOAD-").values_list("number", flat=True))
    authority = Authority.objects.get(code="GEN-TPE")
    wanted = {f"LOAD-{i:05d}": generated_id(i * max(total // count, 1)) for i in range(count)}
    volunteers = dict(User.objects.filter(national_id__in=[n for k, n in wanted.items() if k not in have])
                      .values_list("national_id", "pk"))
    for number, national_id in wanted.items():
        if number not in have:  # one by one: the statistics count cards as they are saved
            HonorCard.objects.create(volunteer_id=volunteers[national_id], number=number, authority=authority,
                                     valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2027, 12, 31),
                                     counted_from=dt.date(2021, 1, 1), counted_to=dt.date(2024, 12, 31))
    return list(HonorCard.objects.filter(number__startswith="LOAD-").order_by("number"))


def qr_codes(cards, count, minutes, path):
    """`count` fresh QR codes spread over the cards, as the venue would scan them."""
    from django.utils import timezone

    from volnet.honorcard import services
    from volnet.honorcard.models import CardToken

    now = timezone.now()
    raws = [secrets.token_urlsafe(18) for _ in range(count)]
    CardToken.objects.bulk_create(
        [CardToken(card=cards[i % len(cards)], token_hash=services.hash_token(raw), created_at=now,
                   expires_at=now + dt.timedelta(minutes=minutes)) for i, raw in enumerate(raws)],
        batch_size=2000)
    path.write_text("\n".join("/honor-card/c/" + raw for raw in raws))


def prepare(workdir, sample, users, minutes, url):
    """The files locust reads: sampled volunteers with their sessions, the supervisors', the clerks', QR
    codes. Returns them as environment variables, and the volunteer kept for the lockout check."""
    from volnet.accounts.models import SignInEvent, User

    portal, backoffice = SignInEvent.Site.PORTAL, SignInEvent.Site.BACKOFFICE
    started = time.perf_counter()
    volunteers = list(User.objects.filter(national_id__startswith="K").order_by("?").only("national_id", "password")
                      [: sample + 1])
    spare = volunteers.pop()
    (workdir / "volunteers.txt").write_text(
        "\n".join(f"{v.national_id} {session_for(v, portal)}" for v in volunteers))
    staff = supervisors(STAFF_UNITS)  # fewer where the data set has fewer units (--data demo)
    (workdir / "staff.txt").write_text(
        "\n".join(f"{session_for(user, backoffice)} {unit_id}" for user, unit_id in staff))
    clerks = []
    for _name, _path, national_id, authority_code in bench_growth.STAFF_PAGES:
        bench_growth._clerk(url, national_id, authority_code)
        clerks.append(session_for(User.objects.get(national_id=national_id), backoffice))
    (workdir / "clerks.txt").write_text("\n".join(clerks))
    # about what venue users can scan in the run (a code scanned again shows 已使用: still a verdict)
    qr_codes(honor_cards(CARDS), int(users * minutes * 60 * 0.15) + 1000, minutes + 10, workdir / "tokens.txt")
    print(f"   {len(volunteers):,} sampled volunteers with sessions, {len(staff):,} supervisors, "
          f"{CARDS:,} honor cards ({time.perf_counter() - started:.0f} s)", flush=True)
    return spare.national_id, {"LOAD_VOLUNTEERS": str(workdir / "volunteers.txt"),
                               "LOAD_STAFF": str(workdir / "staff.txt"), "LOAD_CLERKS": str(workdir / "clerks.txt"),
                               "LOAD_TOKENS": str(workdir / "tokens.txt"), "LOAD_MONTHS": ",".join(MONTHS)}


def clean_up(marker):
    """Delete what the run wrote, through the models (the statistics' summary rows follow)."""
    from volnet.honorcard.models import CardCheck, CardToken
    from volnet.records.models import ServiceRecord

    records, _ = ServiceRecord.objects.filter(content=marker).delete()
    checks, _ = CardCheck.objects.filter(card__number__startswith="LOAD-").delete()
    tokens, _ = CardToken.objects.filter(card__number__startswith="LOAD-").delete()
    print(f"   deleted what the run wrote: {records:,} rows (its records and what hangs on them), {checks:,} checks, "
          f"{tokens:,} QR codes")


# --- CPU -------------------------------------------------------------------------------------------------------


def _tree_seconds(pid):
    """CPU seconds of a process, its live descendants and the children it has reaped."""
    try:
        process = psutil.Process(pid)
        times = process.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child_times = child.cpu_times()
                total += child_times.user + child_times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


class CpuMeter:
    """CPU seconds spent between start() and stop() by the app's process trees, the run's redis-server, and
    the PostgreSQL backends whose application_name is the app's, on each cluster ({name: URL})."""

    def __init__(self, app_pids, redis_pid, app_name, clusters, whole_cluster=None, replica_url=None):
        self.app_pids, self.redis_pid, self.app_name, self.clusters = app_pids, redis_pid, app_name, clusters
        self.whole_cluster = whole_cluster  # the replica's postmaster: its backends, WAL replay and receiver
        self.replica_url = replica_url  # the data set on the replica, which serves this run alone: its block reads
        self.backends = {name: {} for name in clusters}  # cluster -> pid -> [CPU at start (0 if born since), last]
        self._stop = threading.Event()

    def _sample(self, connections, running):
        for name, connection in connections.items():
            rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                                      [self.app_name]).fetchall()
            for (pid,) in rows:
                try:
                    times = psutil.Process(pid).cpu_times()
                except psutil.NoSuchProcess:
                    continue
                seconds = times.user + times.system
                seen = self.backends[name].setdefault(pid, [0.0 if running else seconds, seconds])
                seen[1] = seconds

    def _poll(self, connections):
        while not self._stop.wait(0.5):
            self._sample(connections, running=True)

    def start(self):
        self.connections = {name: psycopg.connect(url, autocommit=True) for name, url in self.clusters.items()}
        self._sample(self.connections, running=False)
        self.before = {"app": sum(_tree_seconds(p) for p in self.app_pids), "redis": _tree_seconds(self.redis_pid),
                       "replica": _tree_seconds(self.whole_cluster) if self.whole_cluster else 0.0,
                       "machine": psutil.cpu_times(), "children": resource.getrusage(resource.RUSAGE_CHILDREN)}
        self.before["blocks"] = self._blocks()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._poll, args=(self.connections,), daemon=True)
        self.thread.start()

    def _blocks(self):
        """(blocks read from outside shared buffers, blocks found in them) on the replica's copy of the data set."""
        if not self.replica_url:
            return (0, 0)
        with psycopg.connect(self.replica_url, autocommit=True) as connection:
            return connection.execute("SELECT blks_read, blks_hit FROM pg_stat_database "
                                      "WHERE datname = current_database()").fetchone()

    def settle(self, most=15):
        """Wait until the app has finished what locust left in flight (its CPU stops growing)."""
        previous = sum(_tree_seconds(p) for p in self.app_pids)
        for _ in range(most * 2):
            time.sleep(0.5)
            now = sum(_tree_seconds(p) for p in self.app_pids)
            if now - previous < 0.02:
                return
            previous = now

    def stop(self):
        self.settle()
        self._stop.set()
        self.thread.join()
        self._sample(self.connections, running=True)
        for connection in self.connections.values():
            connection.close()
        seconds = time.monotonic() - self.started
        machine = psutil.cpu_times()
        busy = sum(getattr(machine, f) - getattr(self.before["machine"], f) for f in ("user", "system", "nice",
                                                                                   "irq", "softirq", "steal"))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = {
            "seconds": seconds,
            "app": sum(_tree_seconds(p) for p in self.app_pids) - self.before["app"],
            "redis": _tree_seconds(self.redis_pid) - self.before["redis"],
            "load generator": (children.ru_utime + children.ru_stime
                               - self.before["children"].ru_utime - self.before["children"].ru_stime),
            "machine": busy,
        }
        workers = [c for p in self.app_pids[:-1] for c in psutil.Process(p).children()]  # the gunicorn workers
        result["worker rss MiB"] = max(w.memory_info().rss for w in workers) / 2**20
        for name, pids in self.backends.items():
            result[f"postgres {name}"] = sum(last - first for first, last in pids.values())
            result[f"postgres {name} backends"] = len(pids)
        if self.whole_cluster:
            result["postgres replica, whole cluster"] = _tree_seconds(self.whole_cluster) - self.before["replica"]
            after = self._blocks()
            result["replica blocks read"] = after[0] - self.before["blocks"][0]
            result["replica blocks hit"] = after[1] - self.before["blocks"][1]
        return result


def hook_totals(folder):
    totals = {}
    for path in Path(folder).glob("*.json"):
        for name, row in json.loads(path.read_text()).items():
            into = totals.setdefault(name, {})
            for key, value in row.items():
                into[key] = into.get(key, 0) + value
    return totals


# --- the run ---------------------------------------------------------------------------------------------------


def lockout_holds_across_processes(hosts, national_id):
    """Five wrong passwords spread over both processes lock the account on both."""
    def attempt(host, password):
        session = requests.Session()
        page = session.get(host + "/accounts/login/", timeout=10).text
        key = form_value(page, "captcha_key")
        return session.post(host + "/accounts/login/", timeout=10, data={
            "csrfmiddlewaretoken": form_value(page, "csrfmiddlewaretoken"), "national_id": national_id,
            "password": password, "captcha_key": key, "captcha": captcha_code(session.cookies["sessionid"], key)})

    for i in range(5):
        attempt(hosts[i % 2], "Wrong-password-2026")
    results = [attempt(host, PASSWORD) for host in hosts]
    return all("暫停登入" in r.text and "/me/" not in r.url for r in results)


def report(prefix, cpu, hooks):
    """The per-request table (with each kind's CPU per request from the hooks) and the CPU table."""
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    aliases = sorted({key[:-2] for row in hooks.values() for key in row if key.endswith("_s") and key != "app_s"})
    print("| request | count | failures | req/s | p50 ms | p95 ms | p99 ms | max ms | app CPU ms/req |"
          + "".join(f" DB ({alias}) CPU ms/req |" for alias in aliases))
    print("|---" * (9 + len(aliases)) + "|")
    total_failures = 0
    for row in rows:
        count = int(row["Request Count"])
        hook = hooks.get(row["Name"], {})
        cpu_cells = [hook.get("app_s", 0)] + [hook.get(f"{alias}_s", 0) for alias in aliases]
        if row["Name"] == "Aggregated":
            cpu_cells = [sum(h.get("app_s", 0) for n, h in hooks.items() if n != "(other)")] + [
                sum(h.get(f"{alias}_s", 0) for n, h in hooks.items() if n != "(other)") for alias in aliases]
        else:
            total_failures += int(row["Failure Count"])
        cells = "".join(f" {1000 * s / count:.1f} |" if count else " |" for s in cpu_cells)
        print(f"| {row['Name']} | {count:,} | {row['Failure Count']} | {float(row['Requests/s']):.2f} |"
              f" {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |{cells}")
    requests_total = int(rows[-1]["Request Count"])
    seconds = cpu["seconds"]
    print(f"\n{requests_total:,} requests in {seconds:.0f} s ({requests_total / seconds:.1f} req/s); CPU read from "
          "/proc over the same window:\n")
    print("| serving processes | CPU s | cores busy | req/s per core |")
    print("|---|---|---|---|")
    serving = ["app", "postgres primary"] + [k for k in cpu if k.startswith("postgres replica")] + ["redis"]
    for key in serving + ["all serving processes", "load generator (locust)", "whole machine"]:
        value = {"all serving processes": sum(cpu[k] for k in serving), "load generator (locust)":
                 cpu["load generator"], "whole machine": cpu["machine"]}.get(key, cpu.get(key))
        per_core = f"{requests_total / value:,.1f}" if value and key in serving + ["all serving processes"] else ""
        print(f"| {key} | {value:,.1f} | {value / seconds:.2f} | {per_core} |")
    if "replica blocks read" in cpu:
        read, hit = cpu["replica blocks read"], cpu["replica blocks hit"]
        print(f"\nThe replica read {read:,} blocks of 8 kB from outside its shared buffers (the OS cache or the disk), "
              f"{read / requests_total:.1f} a request, and found {hit:,} in them "
              f"({hit / max(read + hit, 1):.1%} of its block reads).")
    hooked = sum(h.get("app_s", 0) for name, h in hooks.items() if name != "(other)")
    print(f"\nThe hooks saw {hooked:,.1f} of the app's {cpu['app']:,.1f} CPU s (the rest: gunicorn and Django outside "
          "the request hooks, the Celery worker).")
    failures = Path(f"{prefix}_failures.csv")
    if total_failures and failures.exists():
        print(failures.read_text(encoding="utf-8")[:3000])
    return total_failures


def sizes(url):
    """The data set's size on disk: the database, and its largest tables with their indexes."""
    name = urllib.parse.urlparse(url).path.lstrip("/")
    print(f"\n{name}: {_psql('SELECT pg_size_pretty(pg_database_size(current_database()))', name).strip()}\n")
    print("| table | rows (estimate) | table | indexes | total |")
    print("|---|---|---|---|---|")
    print(_psql(
        "SELECT format('| %s | %s | %s | %s | %s |', c.relname,"
        " CASE WHEN c.reltuples < 0 THEN '—' ELSE to_char(c.reltuples, 'FM999,999,999,999') END,"
        " pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid)),"
        " pg_size_pretty(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8",
        name).strip())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make loadtest")
    parser.add_argument("--data", choices=["national", "demo"], default="national")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--volunteers", type=int, default=2000, help="generated volunteers of --data demo")
    parser.add_argument("--sample", type=int, default=20000, help="volunteers sampled for the visits")
    parser.add_argument("--replica", action=argparse.BooleanOptionalAction, default=None,
                        help="reads from a streaming replica (bench/replica.py); the default with --data national")
    parser.add_argument("--sign-in-share", type=float, default=0.25,
                        help="share of volunteer visits that start at the sign-in form (the rest: a session)")
    options = parser.parse_args(argv)

    from volnet.lib.mailsink import MailSink
    from volnet.tests.celeryworker import Worker, redis_server

    # stopped (timeout, kill): still stop the servers, the replica and the worker, and delete what was written
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    run = secrets.token_hex(4)
    app_name = f"volnet-load-{run}"
    env = {"SECRET_KEY": "load-" + secrets.token_urlsafe(40)}
    workdir = Path(tempfile.mkdtemp(prefix="volnet-load-"))
    with contextlib.ExitStack() as stack:
        env["REDIS_URL"] = redis_url = stack.enter_context(redis_server())
        url = national_database() if options.data == "national" else demo_database(options.volunteers, env)
        if options.replica if options.replica is not None else options.data == "national":
            from bench import replica

            # a kept replica that stood still while the primary recycled its WAL never catches up: copy it
            # anew after a minute rather than ten
            standby = stack.enter_context(replica.running(catch_up_seconds=60))
            env["DATABASE_REPLICA_URL"] = standby.url(urllib.parse.urlparse(url).path.lstrip("/"))
            replica_pid = int((standby.data_dir / "postmaster.pid").read_text().split()[0])
        else:
            replica_pid = None
        django_setup(url, **env)
        spare_id, files = prepare(workdir, options.sample if options.data == "national" else options.volunteers - 1,
                                  options.users, options.minutes, url)
        marker = f"負載測試 {run}"
        stack.callback(clean_up, marker)
        sink = stack.enter_context(MailSink())
        worker = Worker(redis_url, url, sink.port, visibility_timeout=600)
        server_env = {**env, "CELERY_QUEUE": worker.queue, "PGAPPNAME": app_name,
                      "LOAD_CPU_DIR": str(workdir / "cpu")}
        (workdir / "cpu").mkdir()
        worker.env.update(server_env)
        stack.callback(worker.stop)
        worker.start()
        with contextlib.ExitStack() as servers:
            hosts = [servers.enter_context(gunicorn(url, workers=2, env=server_env,
                                                    config=ROOT / "bench/cpu_hooks.py")) for _ in range(2)]
            prefix = str(workdir / "locust")
            seconds = int(options.minutes * 60)
            meter = CpuMeter([h.process.pid for h in hosts] + [worker.process.pid],
                             redis.Redis.from_url(redis_url).info("server")["process_id"], app_name,
                             {"primary": f"{PG}/postgres"}, whole_cluster=replica_pid,
                             replica_url=env.get("DATABASE_REPLICA_URL"))
            load = os.getloadavg()
            where = f"{options.data}{' (reads from the replica)' if replica_pid else ''}"
            print(f"== {where}: {options.users} users for {seconds} s against {', '.join(hosts)}; "
                  f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
            meter.start()
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locustfile.py"), "--headless",
                 "-u", str(options.users), "-r", str(max(options.users // 10, 1)), "-t", f"{seconds}s",
                 "--csv", prefix, "--only-summary", "--host", hosts[0], "--loglevel", "WARNING"],
                cwd=ROOT, check=False,
                env={**os.environ, **env, "DATABASE_URL": url, "LOAD_HOSTS": ",".join(hosts), "LOAD_MARKER": marker,
                     "LOAD_PASSWORD": PASSWORD, "LOAD_SIGN_IN_SHARE": str(options.sign_in_share), **files},
            )
            cpu = meter.stop()
            load_after = os.getloadavg()
            lock_ok = lockout_holds_across_processes(hosts, spare_id)
        memory = redis.Redis.from_url(redis_url).info("memory")["used_memory"]
        keys = redis.Redis.from_url(redis_url).dbsize()
        hooks = hook_totals(workdir / "cpu")
        failures = report(prefix, cpu, hooks)
        print(f"\nload average before {load[0]:.2f}, after {load_after[0]:.2f} (1 min); the run's Redis held "
              f"{keys:,} keys in {memory / 2**20:.1f} MiB at the end; the largest gunicorn worker "
              f"{cpu['worker rss MiB']:.0f} MiB resident")
        counts = {row["Name"]: int(row["Request Count"]) for row in csv.DictReader(open(f"{prefix}_stats.csv"))}
        (workdir / "cpu.json").write_text(json.dumps({"cpu": cpu, "hooks": hooks, "requests": counts,
                                                      "load": [load, load_after], "redis_bytes": memory,
                                                      "redis_keys": keys}))
    if options.data == "national":
        sizes(url)
    print(f"\nerrors: {failures}; lockout shared by both processes: {'yes' if lock_ok else 'NO'} ({workdir})")
    return 0 if failures == 0 and lock_ok else 1


if __name__ == "__main__":
    sys.exit(main())
