"""A real PostgreSQL streaming replica (bench/replica.py): a small primary of the test's own and a replica copied
from it, as the fault script and the load test copy the machine's cluster. Needs PostgreSQL's server programs
(initdb, pg_ctl, pg_basebackup: Debian's postgresql, which scripts/system-deps.sh installs for tests)."""

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from bench import replica
from bench.util import free_port


@pytest.fixture
def primary():
    folder = Path(tempfile.mkdtemp(prefix="volnet-replica-test-"))
    folder.chmod(0o755)  # the clusters run as the postgres user when the tests run as root
    cluster = replica.init_primary(folder / "primary", free_port())
    cluster.folder = folder
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder)


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
