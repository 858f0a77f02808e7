"""A real PostgreSQL streaming replica (bench/replica.py): a small primary of the test's own and a replica copied
from it, as the fault script and the load test copy the machine's cluster. Needs PostgreSQL's server programs
(initdb, pg_ctl, pg_basebackup: Debian's postgresql, which scripts/system-deps.sh installs for tests)."""

import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from bench import replica
from bench.util import Browser, free_port, gunicorn, manage
from volnet import dbrouter

OLD_ADDRESS, BEHIND_ITS_BACK, SAVED = "臺中市西區民權路 1 號", "臺中市北區三民路 2 號", "臺中市南區復興路 3 號"


@contextlib.contextmanager
def own_primary():
    folder = Path(tempfile.mkdtemp(prefix="volnet-replica-test-"))
    folder.chmod(0o755)  # the clusters run as the postgres user when the tests run as root
    cluster = replica.init_primary(folder / "primary", free_port())
    cluster.folder = folder
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder)


@pytest.fixture
def primary():
    with own_primary() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def site():
    """A primary with the project's tables and one volunteer; the app's settings for it."""
    with own_primary() as cluster:
        replica.query(cluster.url(), "CREATE DATABASE volnet")
        cluster.env = {"DJANGO_SETTINGS_MODULE": "volnet.settings_test", "DEBUG": "0"}
        manage("migrate", "--noinput", "-v0", database_url=cluster.url("volnet"), env=cluster.env)
        manage("shell", "-c", "import datetime as dt; from volnet.accounts.models import User; "
               "User.objects.create_user('E122333441', 'Correct-Horse-42', name='測試熊', "
               f"birth_date=dt.date(1981, 5, 20), address='{OLD_ADDRESS}')",
               database_url=cluster.url("volnet"), env=cluster.env)
        yield cluster


def test_a_replica_follows_its_primary_refuses_writes_and_is_kept_between_runs(primary):
    data_dir, port = primary.folder / "replica", free_port()
    replica.query(primary.url(), "CREATE TABLE hours (volunteer text, hours int)")
    with replica.running(primary.url(), data_dir, port) as standby:
        assert standby.streaming()
        replica.query(primary.url(), "INSERT INTO hours VALUES ('A123456789', 3)")
        assert standby.caught_up_with(primary.url(), timeout=10)
        assert replica.query(standby.url(), "SELECT sum(hours) FROM hours") == 3
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            replica.query(standby.url(), "INSERT INTO hours VALUES ('B123456789', 1)")
    assert not standby.running()  # started here, so stopped here

    replica.query(primary.url(), "INSERT INTO hours VALUES ('A123456789', 2)")  # written while it was stopped
    (data_dir / "kept").touch()
    with replica.running(primary.url(), data_dir, port) as again:
        assert (data_dir / "kept").exists(), "the kept replica was copied anew instead of reused"
        assert replica.query(again.url(), "SELECT sum(hours) FROM hours") == 5
    assert not again.running()


def test_a_kept_replica_whose_wal_the_primary_has_removed_is_copied_anew_without_waiting_long(primary):
    data_dir, port = primary.folder / "replica", free_port()
    with replica.running(primary.url(), data_dir, port):
        pass
    (data_dir / "kept").touch()
    replica.query(primary.url(), "CREATE TABLE filler (x int)")
    for _ in range(3):  # while the replica is stopped, the primary moves on and removes the WAL it has not seen
        replica.query(primary.url(), "INSERT INTO filler SELECT generate_series(1, 1000)")
        replica.query(primary.url(), "SELECT pg_switch_wal()::text")
        replica.query(primary.url(), "CHECKPOINT")
    started = time.monotonic()
    with replica.running(primary.url(), data_dir, port, stalled_seconds=3) as standby:
        assert replica.query(standby.url(), "SELECT count(*) FROM filler") == 3000
    assert not (data_dir / "kept").exists(), "the replica was not copied anew"
    assert time.monotonic() - started < 60


def test_a_replica_of_another_cluster_in_the_folder_is_copied_anew(primary):
    data_dir, port = primary.folder / "replica", free_port()
    other = replica.init_primary(primary.folder / "other", free_port())
    try:
        replica.base_backup(other.url(), data_dir, port)
    finally:
        other.stop()
    replica.query(primary.url(), "CREATE TABLE mine (x int)")
    with replica.running(primary.url(), data_dir, port) as standby:
        assert replica.query(standby.url(), "SELECT to_regclass('mine') IS NOT NULL")


def test_a_primary_that_refuses_replication_is_named_with_the_line_to_add(primary, monkeypatch):
    hba = primary.data_dir / "pg_hba.conf"
    hba.write_text("host all all 127.0.0.1/32 trust\n")  # initdb's own allows replication
    replica.query(primary.url(), "SELECT pg_reload_conf()")
    monkeypatch.setattr(replica, "_may_edit", lambda path: False)  # as a user who may not edit pg_hba.conf
    with pytest.raises(replica.ReplicaError) as refused:
        replica.allow_replication(primary.url())
    assert replica.HBA_LINE in str(refused.value) and str(hba) in str(refused.value)


def test_where_it_may_the_bench_adds_the_line_and_reloads(primary, monkeypatch):
    hba = primary.data_dir / "pg_hba.conf"
    hba.write_text("host all all 127.0.0.1/32 trust\n")
    replica.query(primary.url(), "SELECT pg_reload_conf()")
    assert not replica._accepts_replication(primary.url())
    monkeypatch.setattr(replica, "_may_edit", lambda path: True)  # as root on the machine's cluster
    replica.allow_replication(primary.url())
    assert replica._accepts_replication(primary.url())
    assert hba.read_text().count(replica.HBA_LINE) == 1
    replica.allow_replication(primary.url())  # a second run adds nothing
    assert hba.read_text().count(replica.HBA_LINE) == 1


def wait_for_lock_wait(standby, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.query(standby.url(), "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"):
            return True
        time.sleep(0.05)
    return False


def address(browser):
    status, body, _ = browser.get("/me/profile/")
    assert status == 200
    return re.search(r'name="address"[^>]*value="([^"]*)"', body).group(1)


def test_volunteer_pages_read_the_replica_own_writes_the_primary_and_the_primary_when_the_replica_is_gone(site):
    """The replica's replay paused, it is as far behind as a replica gets: what the app shows tells which served it."""
    url, env = site.url("volnet"), site.env
    with replica.running(site.url(), site.folder / "replica", free_port()) as standby, \
            gunicorn(url, workers=1, collect=False, env={**env, "DATABASE_REPLICA_URL": standby.url("volnet")}) as app:
        browser = Browser(app)
        browser.sign_in("E122333441", "Correct-Horse-42")
        assert standby.caught_up_with(url, timeout=10)
        standby.pause_replay()
        replica.query(url, "UPDATE accounts_user SET address = %s", BEHIND_ITS_BACK)

        # Signing in was a write: for 15 s this browser reads from the primary, and sees what was just written.
        assert address(browser) == BEHIND_ITS_BACK, "a browser that has just written read from the replica"
        browser.forget(dbrouter.PIN_COOKIE)  # rather than wait 15 s
        assert address(browser) == OLD_ADDRESS, "the volunteer's page did not read from the replica"

        status, _, _ = browser.post("/me/profile/", {**browser.form("/me/profile/"), "address": SAVED})
        assert status == 200  # saved, and redirected back to the page
        assert address(browser) == SAVED, "the volunteer's own change was read from the lagging replica"
        browser.forget(dbrouter.PIN_COOKIE)
        assert address(browser) == OLD_ADDRESS

        # The replica stops while a request is reading from it: that request is answered from the primary. A lock
        # taken on the primary is replayed on the replica and holds the page's read there until the stop.
        standby.resume_replay()
        with replica.connect(url) as locker, concurrent.futures.ThreadPoolExecutor(1) as reader:
            locker.execute("BEGIN")
            locker.execute("LOCK TABLE records_trainingrecord IN ACCESS EXCLUSIVE MODE")
            locker.execute("SELECT pg_switch_wal()")  # written out and sent to the replica now…
            assert standby.caught_up_with(url, timeout=10)  # …and replayed there
            services = reader.submit(browser.get, "/me/services/")
            assert wait_for_lock_wait(standby), "the page's read did not wait on the replica"
            standby.stop()
            locker.execute("ROLLBACK")
            status, body, _ = services.result()
        assert status == 200, "a request the replica failed in the middle was not answered from the primary"

        timings = []
        for _ in range(10):
            status, _body, seconds = browser.get("/me/profile/")
            timings.append(seconds)
            assert status == 200
        assert address(browser) == SAVED  # the primary answers
        assert max(timings) < 3, f"reads waited for the stopped replica: {timings}"

        standby.start()
        assert standby.caught_up_with(url, timeout=10)
        standby.pause_replay()
        replica.query(url, "UPDATE accounts_user SET address = %s", BEHIND_ITS_BACK)
        time.sleep(dbrouter.RETRY_SECONDS)
        assert address(browser) == SAVED, "reads did not return to the replica once it was back"


@pytest.mark.parametrize("pool_size", ["0", "1"])
def test_a_replica_that_never_answers_costs_one_short_wait_then_none(site, pool_size):
    """A replica host that accepts connections and says nothing (hung, or a firewall): the first read waits for the
    connect timeout, not for TCP's minutes, and the following reads go straight to the primary; with psycopg's pool
    (DB_POOL_SIZE) as without."""
    url, env = site.url("volnet"), {**site.env, "DB_POOL_SIZE": pool_size}
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # the kernel completes every handshake; nobody ever answers
        replica_url = f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/volnet"
        with gunicorn(url, workers=1, collect=False, env={**env, "DATABASE_REPLICA_URL": replica_url}) as app:
            browser = Browser(app)
            browser.sign_in("E122333441", "Correct-Horse-42")
            browser.forget(dbrouter.PIN_COOKIE)
            answers = [browser.get("/me/profile/") for _ in range(5)]
    assert [status for status, _, _ in answers] == [200] * 5
    first, *rest = [seconds for _, _, seconds in answers]
    assert first < 4, f"the first read waited {first:.1f} s for the silent replica"
    assert max(rest) < 1, f"later reads waited for the silent replica again: {rest}"


SETUP = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "volnet.settings"
from django.conf import settings
print(json.dumps([settings.MIDDLEWARE.count("volnet.dbrouter.ReplicaMiddleware"), settings.DATABASE_ROUTERS]))
"""


@pytest.mark.parametrize("pool_size", ["0", "4"])
@pytest.mark.parametrize("replica_url", ["", "postgres://postgres@127.0.0.1:5433/volnet"])
def test_the_replica_routing_is_in_the_stack_once_and_only_with_a_replica(replica_url, pool_size):
    """Without a replica no request pays for its routing; with one, its middleware runs once per request."""
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/volnet",
           "DATABASE_REPLICA_URL": replica_url, "DB_POOL_SIZE": pool_size}
    out = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True).stdout
    middleware, routers = json.loads(out)
    assert (middleware, routers) == ((1, ["volnet.dbrouter.ReplicaRouter"]) if replica_url else (0, []))
