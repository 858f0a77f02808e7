"""A PostgreSQL streaming replica on this machine, for the benchmarks, the fault script and the load test.

    with replica.running() as standby:          # a replica of the machine's cluster (BENCH_PG_URL)
        env = {"DATABASE_REPLICA_URL": standby.url("volnet_bench_1000000")}

The replica copies the machine's cluster itself (pg_basebackup -R), not a copy of one database, so that
the national data set (volnet_bench_1000000, about an hour to generate) is read through it as generated,
and any database a script creates on the primary reaches it by streaming. Its data directory
(BENCH_REPLICA_DIR, default var/replica) is kept between runs: the next run starts it again and reuses
it once it has caught up with the primary; it is copied anew only when it cannot (the primary no longer
has the WAL it needs, or it is a copy of another cluster). It listens on BENCH_REPLICA_PORT (5433).

The primary must accept replication connections from 127.0.0.1. Run as root, this adds
`host replication all 127.0.0.1/32 trust` to the primary's pg_hba.conf and reloads it (as
scripts/system-deps.sh installs packages); otherwise it stops and says what to add.

`init_primary` makes a small primary of its own (tests: a real replica in seconds, nothing of the
machine's touched). PostgreSQL refuses to run as root: run as root, the clusters belong to and run as
the `postgres` user.
"""

import contextlib
import glob
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import psycopg

from bench.util import ROOT

PRIMARY = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATA_DIR = Path(os.environ.get("BENCH_REPLICA_DIR", ROOT / "var" / "replica"))
PORT = int(os.environ.get("BENCH_REPLICA_PORT", "5433"))
HBA_LINE = "host replication all 127.0.0.1/32 trust"
# A standby refuses to start unless these are at least the primary's.
AT_LEAST_THE_PRIMARYS = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                         "max_locks_per_transaction")


class ReplicaError(RuntimeError):
    pass


def _as_owner():
    """The command prefix that runs PostgreSQL's programs as the clusters' owner."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _own(path):
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def program(name, major=None):
    """A PostgreSQL program: the server's version's own (Debian keeps them in /usr/lib/postgresql/N/bin),
    else the one on PATH."""
    folders = [f"/usr/lib/postgresql/{major}/bin"] if major else []
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name), reverse=True)
    for folder in folders:
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise ReplicaError(f"{name} not found: install PostgreSQL's server (Debian package postgresql)")
    return found


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise ReplicaError(f"{' '.join(command)} failed:\n{result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def connect(url, **kwargs):
    return psycopg.connect(url, autocommit=True, connect_timeout=3, **kwargs)


def query(url, sql, *params):
    """The first column of the first row `sql` returns (None for a statement that returns none)."""
    with connect(url) as connection:
        cursor = connection.execute(sql, params or None)
        return cursor.fetchone()[0] if cursor.description else None


def _with_database(url, database):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


class Cluster:
    """A PostgreSQL cluster on 127.0.0.1: `data_dir`, `port`; started and stopped with pg_ctl."""

    def __init__(self, data_dir, port, major):
        self.data_dir, self.port, self.major = Path(data_dir), port, major
        self.started_here = False

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def log(self):
        return self.data_dir / "server.log"

    def answers(self):
        try:
            query(self.url(), "SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    def start(self):
        try:
            _run([*_as_owner(), program("pg_ctl", self.major), "-D", str(self.data_dir), "-l", str(self.log),
                  "-w", "-t", "120", "start"])
        except ReplicaError as error:
            tail = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
            raise ReplicaError(f"{error}\n{tail}") from None
        self.started_here = True

    def stop(self):
        _run([*_as_owner(), program("pg_ctl", self.major), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])

    def running(self):
        return subprocess.run([*_as_owner(), program("pg_ctl", self.major), "-D", str(self.data_dir), "status"],
                              capture_output=True).returncode == 0


class Replica(Cluster):
    def replay_lsn(self):
        return query(self.url(), "SELECT pg_last_wal_replay_lsn()")

    def streaming(self):
        try:
            return query(self.url(), "SELECT status FROM pg_stat_wal_receiver") == "streaming"
        except (psycopg.Error, TypeError):
            return False

    def caught_up_with(self, primary_url, timeout, stalled=30):
        """Whether the replica replays up to where the primary is now within `timeout` seconds. False as soon as its
        replay has not moved for `stalled` seconds: the primary no longer has the WAL it needs."""
        target = query(primary_url, "SELECT pg_current_wal_flush_lsn()")
        deadline = time.monotonic() + timeout
        position, moved = None, time.monotonic()
        while time.monotonic() < deadline:
            try:
                now = query(self.url(), "SELECT pg_last_wal_replay_lsn()::text")
                if query(self.url(), "SELECT %s::pg_lsn >= %s::pg_lsn", now, target):
                    return True
                if now != position:
                    position, moved = now, time.monotonic()
            except psycopg.OperationalError:
                pass  # not accepting connections (yet): counts as not moving
            if time.monotonic() - moved > stalled:
                return False
            time.sleep(0.2)
        return False

    def pause_replay(self):
        query(self.url(), "SELECT pg_wal_replay_pause()::text")

    def resume_replay(self):
        query(self.url(), "SELECT pg_wal_replay_resume()::text")


def server_major(url):
    return int(query(url, "SHOW server_version_num")) // 10000


def init_primary(data_dir, port):
    """A new, small primary cluster of its own under `data_dir`, started, that accepts replication."""
    data_dir = Path(data_dir)
    _own(data_dir)
    major = int(re.search(r"\) (\d+)", _run([program("initdb"), "--version"])).group(1))
    _run([*_as_owner(), program("initdb", major), "-D", str(data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8",
          "--locale=C.UTF-8", "--no-sync"])
    with open(data_dir / "postgresql.conf", "a") as conf:
        conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                   "fsync = off\nfull_page_writes = off\n")  # throwaway: speed over safety
    with open(data_dir / "pg_hba.conf", "a") as hba:
        hba.write(f"\n{HBA_LINE}\n")
    cluster = Cluster(data_dir, port, major)
    cluster.start()
    return cluster


def allow_replication(primary_url):
    """Make sure the primary accepts replication connections from 127.0.0.1, adding the pg_hba.conf line when
    run as root; else stop with the line to add."""
    if _accepts_replication(primary_url):
        return
    hba_file = Path(query(primary_url, "SHOW hba_file"))
    if not _may_edit(hba_file):
        raise ReplicaError(
            f"PostgreSQL at {urllib.parse.urlsplit(primary_url).netloc} refuses replication connections. Add this "
            f"line to {hba_file} and reload it (psql -c 'SELECT pg_reload_conf()'), then run again:\n    {HBA_LINE}")
    print(f"Allowing replication connections from 127.0.0.1: adding '{HBA_LINE}' to {hba_file}", flush=True)
    with open(hba_file, "a") as hba:
        hba.write(f"\n# VolNet's bench (bench/replica.py): a streaming replica on this machine copies this cluster.\n"
                  f"{HBA_LINE}\n")
    query(primary_url, "SELECT pg_reload_conf()")
    if not _accepts_replication(primary_url):
        raise ReplicaError(f"added '{HBA_LINE}' to {hba_file}, but replication connections are still refused: "
                           "an earlier line of that file must be rejecting them")


def _may_edit(hba_file):
    """Only root edits the machine's configuration, and only what it can write."""
    return os.geteuid() == 0 and os.access(hba_file, os.W_OK)


def _accepts_replication(primary_url):
    parts = urllib.parse.urlsplit(primary_url)
    conninfo = f"host={parts.hostname} port={parts.port or 5432} user={parts.username or 'postgres'} replication=true"
    return subprocess.run(["psql", conninfo, "-tAc", "IDENTIFY_SYSTEM"], capture_output=True).returncode == 0


def base_backup(primary_url, data_dir, port):
    """A new replica of `primary_url`'s whole cluster in `data_dir` (emptied first), listening on `port`;
    not started."""
    major = server_major(primary_url)
    settings = {name: query(primary_url, f"SHOW {name}") for name in AT_LEAST_THE_PRIMARYS}
    data_dir = Path(data_dir)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    _own(data_dir)
    parts = urllib.parse.urlsplit(primary_url)
    name = f"volnet_replica_{port}"
    conninfo = (f"host={parts.hostname} port={parts.port or 5432} user={parts.username or 'postgres'} "
                f"application_name={name}")
    # Its progress goes to the terminal: a copy of the national data set takes minutes.
    if subprocess.run([*_as_owner(), program("pg_basebackup", major), "-d", conninfo, "-D", str(data_dir), "-R",
                       "-X", "stream", "--checkpoint=fast", "--progress"]).returncode != 0:
        raise ReplicaError(f"pg_basebackup from {parts.netloc} failed (its message is above)")
    # The copy brings the primary's own configuration only when it keeps it in its data directory (Debian keeps it
    # in /etc): write the replica's whole.
    (data_dir / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
        f"cluster_name = '{name}'\nhot_standby = on\n"
        # The primary keeps the rows a long read on the replica still sees, instead of the replica cancelling
        # that read ("conflict with recovery") when it replays their cleanup.
        "hot_standby_feedback = on\n"
        + "".join(f"{setting} = {value}\n" for setting, value in settings.items()))
    (data_dir / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data_dir / "pg_ident.conf").write_text("")
    for path in data_dir.glob("*.conf"):
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
    return Replica(data_dir, port, major)


def _copy_of(primary_url, replica):
    """Whether the replica's data directory is a standby copy of this primary's cluster."""
    if not (replica.data_dir / "standby.signal").exists():
        return False
    control = _run([*_as_owner(), program("pg_controldata", replica.major), str(replica.data_dir)])
    system = next(line.split(":")[1].strip() for line in control.splitlines()
                  if line.startswith("Database system identifier"))
    return system == str(query(primary_url, "SELECT system_identifier FROM pg_control_system()"))


@contextlib.contextmanager
def running(primary_url=PRIMARY, data_dir=DATA_DIR, port=PORT, catch_up_seconds=600, stalled_seconds=30):
    """A running replica of `primary_url`'s cluster that has caught up with it; stopped afterwards if it was
    started here. Reuses the one in `data_dir` when it can still follow the primary (its replay moves on within
    `stalled_seconds`)."""
    primary_url = _with_database(primary_url, "postgres")
    allow_replication(primary_url)
    replica = Replica(data_dir, port, server_major(primary_url))
    try:
        serving = query(replica.url(), "SHOW data_directory")
    except psycopg.OperationalError:
        serving = None
    if serving is not None and Path(serving) != Path(data_dir).resolve():
        raise ReplicaError(f"port {port} is taken by the cluster in {serving}: choose another (BENCH_REPLICA_PORT)")
    try:
        if serving is None:
            try:
                if not (Path(data_dir).exists() and _copy_of(primary_url, replica)):
                    raise ReplicaError("no replica of this primary kept")
                print(f"Starting the replica kept in {data_dir} …", flush=True)
                replica.start()
            except ReplicaError:
                replica = _fresh(primary_url, data_dir, port)
        if not replica.caught_up_with(primary_url, catch_up_seconds, stalled_seconds):
            print("The kept replica cannot catch up with the primary (its WAL is gone): copying it anew …", flush=True)
            if replica.running():
                replica.stop()
            replica = _fresh(primary_url, data_dir, port)
            if not replica.caught_up_with(primary_url, catch_up_seconds, stalled_seconds):
                raise ReplicaError(f"the new replica did not catch up in {catch_up_seconds} s: see {replica.log}")
        yield replica
    finally:
        if replica.started_here and replica.running():
            replica.stop()


def _fresh(primary_url, data_dir, port):
    size = query(primary_url, "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database")
    print(f"Copying the primary's cluster ({size}) into a replica in {data_dir} on port {port} …", flush=True)
    started = time.monotonic()
    replica = base_backup(primary_url, data_dir, port)
    replica.start()
    print(f"   copied and started in {time.monotonic() - started:.0f} s", flush=True)
    return replica
