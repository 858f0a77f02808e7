"""gunicorn hooks for `make loadtest` (`gunicorn -c bench/cpu_hooks.py`): the CPU each kind of request costs.

Locust names every request in an X-Load-Name header (URL-quoted). Per name, a worker adds up the CPU its own
process spent on the request (process_time) and the CPU its database backends spent on the request's
queries (/proc/<backend pid>/schedstat, read around each query: the app and PostgreSQL share this machine),
per connection alias (default, replica). The sums go to $LOAD_CPU_DIR/<worker pid>.json every few seconds
and when the worker exits. The load test turns them into each request kind's share of the CPU it measured
for the whole run; the reads themselves cost about 10 µs each.
"""

import json
import os
import time
import urllib.parse

_totals = {}  # name -> {"count", "app_s", "<alias>_s"}
_current = {"name": None, "db": {}}
_last_dump = [0.0]


def _schedstat_ns(pid):
    try:
        with open(f"/proc/{pid}/schedstat") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _timed_query(alias):
    def wrapper(execute, sql, params, many, context):
        raw = context["connection"].connection
        pid = raw.info.backend_pid if raw is not None else None
        before = _schedstat_ns(pid) if pid else None
        try:
            return execute(sql, params, many, context)
        finally:
            after = _schedstat_ns(pid) if before is not None else None
            if after is not None and _current["name"] is not None:
                _current["db"][alias] = _current["db"].get(alias, 0) + after - before

    wrapper.load_hook = True
    return wrapper


def _install_query_timers():
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if not any(getattr(w, "load_hook", False) for w in connection.execute_wrappers):
            connection.execute_wrappers.append(_timed_query(alias))


def pre_request(worker, req):
    name = next((value for key, value in req.headers if key == "X-LOAD-NAME"), None)
    _current["name"] = urllib.parse.unquote(name) if name else "(other)"
    _current["db"] = {}
    _current["started"] = time.process_time()
    _install_query_timers()


def post_request(worker, req, environ, resp):
    if _current["name"] is None:
        return
    row = _totals.setdefault(_current["name"], {"count": 0, "app_s": 0.0})
    row["count"] += 1
    row["app_s"] += time.process_time() - _current["started"]
    for alias, ns in _current["db"].items():
        row[f"{alias}_s"] = row.get(f"{alias}_s", 0.0) + ns / 1e9
    _current["name"] = None
    if time.monotonic() - _last_dump[0] > 3:
        _dump()


def worker_exit(server, worker):
    _dump()


def _dump():
    _last_dump[0] = time.monotonic()
    folder = os.environ.get("LOAD_CPU_DIR")
    if folder:
        path = os.path.join(folder, f"{os.getpid()}.json")
        with open(path + ".tmp", "w") as handle:
            json.dump(_totals, handle)
        os.replace(path + ".tmp", path)
