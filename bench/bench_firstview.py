"""First views of 服務時數 (/me/services/?tab=services) and 紀錄冊列印 (/me/record-book/): every request comes from
a volunteer who has not asked for that page before, as national traffic mostly does (bench_portal measures the
cached page instead: one volunteer asking again and again). Goal: ≥ 0.6× the bare authenticated view
(/bench/bare), measured in the same server and run, interleaved, by the same clients (wrk, 50 connections).

4,000 generated volunteers with 50 to 500 service records each, on PostgreSQL (database volnet_bench_firstview,
generated once and kept between runs). Each page has volunteers of its own, walked in order across the rounds
(bench/first_views.lua), so nobody asks twice for either page; the bare view walks all of them. Sessions are
made directly in the server's session store (signed_in_cookies). The server uses Redis for its cache and
sessions, as production does, when Redis answers: a Redis database of its own (14), emptied first, so no page
cached by an earlier run is served. Its workers are not recycled (--max-requests 0): a worker's restart
(Django's imports, every template compiled again) every 2,000 requests landed in whichever round was running.
"""

import random
import socket
import statistics
import tempfile
import urllib.request
from pathlib import Path

from bench.util import ROOT, Row, gunicorn, kept_dataset, psql, server_env, signed_in_cookies, wrk

DATABASE = "volnet_bench_firstview"
VOLUNTEERS, UNITS, FEWEST, MOST = 4_000, 100, 50, 500
WARM_UP = 100  # volunteers who warm the workers up; the others are split between the pages
SCRIPT = ROOT / "bench" / "first_views.lua"
CONNECTIONS, THREADS = 50, 2
TIMEOUT = 30  # seconds: 50 connections queue for two workers; wrk's own 2 s would drop the slow pages' requests

BARE = ("bare authenticated view", "/bench/bare")
PAGES = [("服務時數 tab", "/me/services/?tab=services"), ("紀錄冊列印", "/me/record-book/")]
# What the goal leaves for a page's own work: the same frame (menus, tabs, header) around an empty tab, which
# reads nothing but the volunteer's 其他登錄事項 (none are generated). A reference row, no goal of its own; it
# walks the bare view's volunteers.
FRAME = ("其他登錄事項 tab, empty: the page frame alone", "/me/services/?tab=other")
VIEWED = [*PAGES, FRAME]
SHOWS = {PAGES[0][1]: "共有", PAGES[1][1]: "共有", FRAME[1]: "目前沒有"}


REDIS_URL = "redis://127.0.0.1:6379/14"


def _server_env():
    env = {"GUNICORN_CMD_ARGS": "--max-requests 0"}
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            env["REDIS_URL"] = REDIS_URL
    except OSError:
        return env
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return env


def _volunteers():
    out = psql("SELECT national_id FROM accounts_user WHERE national_id LIKE 'K%' ORDER BY national_id", DATABASE)
    ids = out.stdout.split()
    random.Random(17).shuffle(ids)  # not in the order they were made (nor their rows' order on disk)
    return ids


def _cookie_file(cookies):
    handle = tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="first-views-", delete=False)
    handle.write("\n".join(cookies) + "\n")
    handle.close()
    return handle.name


def _check(base, path, cookie):
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode()
        if response.status != 200 or response.url != base + path or SHOWS[path] not in body:
            raise RuntimeError(f"{path} did not show the volunteer's page ({response.status} {response.url})")


def measure(url, rounds, seconds):
    """{label: (median req/s, median p99 ms, requests answered, requests sent)}, interleaved rounds."""
    ids = _volunteers()
    env = _server_env()
    cookies = signed_in_cookies(server_env(url, env), ids)
    warm, rest = ids[:WARM_UP], ids[WARM_UP:]
    share = len(rest) // len(PAGES)
    files = {"warm-up": _cookie_file(cookies[n] for n in warm), BARE[0]: _cookie_file(cookies[n] for n in rest)}
    files[FRAME[0]] = files[BARE[0]]  # nothing on it is kept per volunteer: it may ask again, as the bare view does
    for i, (label, _path) in enumerate(PAGES):
        files[label] = _cookie_file(cookies[n] for n in rest[i * share:(i + 1) * share])
    runs = {label: [] for label, _ in [BARE, *VIEWED]}
    position = dict.fromkeys(runs, 0)
    try:
        with gunicorn(url, workers=2, env=env) as base:
            for _label, path in VIEWED:
                _check(base, path, cookies[warm[0]])
            for offset, (_label, path) in enumerate([BARE, *VIEWED]):  # imports, templates, connections
                wrk(base + path, connections=4, seconds=1, threads=THREADS, script=SCRIPT,
                    script_args=(files["warm-up"], offset * 30, THREADS))
            for _ in range(rounds):  # interleaved: the machine is shared, and its load drifts
                for label, path in [BARE, *VIEWED]:
                    details = {}
                    rps, latency = wrk(base + path, connections=CONNECTIONS, seconds=seconds, threads=THREADS,
                                       script=SCRIPT, script_args=(files[label], position[label], THREADS),
                                       details=details, timeout=TIMEOUT)
                    runs[label].append((rps, latency.get(99, 0), details["requests"]))
                    position[label] += details["sent"]
    finally:
        for name in files.values():
            Path(name).unlink(missing_ok=True)
    return {
        label: (statistics.median(r for r, _, _ in done), statistics.median(p for _, p, _ in done),
                sum(n for _, _, n in done), position[label])
        for label, done in runs.items()
    }


def run(options):
    seconds, rounds = (3, 1) if options.quick else (5, 3)
    url = kept_dataset(DATABASE, VOLUNTEERS, UNITS, FEWEST, MOST)
    figures = measure(url, rounds, seconds)
    bare_rps, bare_p99, bare_requests, _ = figures[BARE[0]]
    rows = [Row("first views", f"{BARE[0]} ({bare_requests:,} requests, {VOLUNTEERS:,} volunteers' sessions)",
                bare_rps, "req/s", goal="baseline")]
    for label, _path in PAGES:
        rps, p99, requests, sent = figures[label]
        if sent > (VOLUNTEERS - WARM_UP) // len(PAGES):  # the list ran out: some volunteers asked twice
            raise RuntimeError(f"{label}: {sent} requests sent, more than the page's volunteers")
        name = (f"{label}, first views: {requests:,} requests by {requests:,} distinct volunteers "
                f"({FEWEST}–{MOST} records each)")
        rows.append(Row("first views", name, rps, "req/s", baseline=bare_rps, goal="≥ 0.6×"))
        rows.append(Row("first views", f"{label}, first views: p99 latency", p99, "ms", baseline=bare_p99))
    rps, _p99, requests, _sent = figures[FRAME[0]]
    rows.append(Row("first views", f"{FRAME[0]} ({requests:,} requests): what 0.6× leaves a page", rps, "req/s",
                    baseline=bare_rps))
    return rows
