"""Connection pooling (DB_POOL_SIZE: psycopg's pool in each process) against none, on PostgreSQL: a persistent
connection per process (DB_CONN_MAX_AGE=60, today's default) and a new connection for every request
(DB_CONN_MAX_AGE=0). Three servers of 2 sync workers each, as bench/util.py runs them, one per set-up, measured in
interleaved rounds with 50 concurrent clients: the bare authenticated view (the least a request asks of the
database: its session and its user) and a volunteer's 服務時數 page.
"""

import contextlib
import os
import statistics

from bench.util import Row, gunicorn, manage, session_cookie, wrk

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
NAME = "volnet_bench_pool"
VOLUNTEER, PASSWORD = "E122333441", "Volunteer-2026"
SETUPS = {  # the environment of each server
    "psycopg pool": {"DB_POOL_SIZE": "1"},  # sync workers serve one request at a time: one connection each
    "persistent connection": {"DB_CONN_MAX_AGE": "60"},
    "new connection per request": {"DB_CONN_MAX_AGE": "0"},
}
PAGES = {"bare authenticated view": "/bench/bare", "服務時數 page": "/me/services/?tab=services"}


def _admin(sql):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def run(options):
    seconds, rounds = (3, 1) if options.quick else (5, 3)
    _admin(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{NAME}"')
    url = f"{PG}/{NAME}"
    try:
        manage("migrate", "--noinput", "-v0", database_url=url)
        manage("seed_demo", "--quiet", database_url=url)
        return _measure(url, seconds, rounds)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


def _measure(url, seconds, rounds):
    runs = {(setup, page): [] for setup in SETUPS for page in PAGES}
    with contextlib.ExitStack() as stack:
        servers = {setup: stack.enter_context(gunicorn(url, workers=2, env=env)) for setup, env in SETUPS.items()}
        cookies = {setup: session_cookie(base, VOLUNTEER, PASSWORD) for setup, base in servers.items()}
        for setup, base in servers.items():
            wrk(base + PAGES["服務時數 page"], cookies[setup], connections=50, seconds=1)  # warm-up
        # Interleaved rounds, median of each: the machine is shared, and its load drifts.
        for _ in range(rounds):
            for page, path in PAGES.items():
                for setup, base in servers.items():
                    runs[setup, page].append(wrk(base + path, cookies[setup], connections=50, seconds=seconds))
    rows = []
    for page in PAGES:
        baseline = {setup: (statistics.median(r for r, _ in runs[setup, page]),
                            statistics.median(p.get(99, 0) for _, p in runs[setup, page])) for setup in SETUPS}
        persistent_rps, persistent_p99 = baseline["persistent connection"]
        for setup in ("psycopg pool", "new connection per request"):
            rps, p99 = baseline[setup]
            rows.append(Row("pooling", f"{page}, {setup}", rps, "req/s", baseline=persistent_rps,
                            goal="vs a persistent connection"))
            rows.append(Row("pooling", f"{page}, {setup}: p99 latency", p99, "ms", baseline=persistent_p99))
        rows.append(Row("pooling", f"{page}, persistent connection", persistent_rps, "req/s", goal="baseline"))
    return rows
