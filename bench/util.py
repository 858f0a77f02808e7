"""Tools the benchmarks share: a table, a gunicorn server on its own database, wrk, peak memory."""

import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


@dataclasses.dataclass
class Row:
    benchmark: str
    measure: str
    value: float
    unit: str
    baseline: float | None = None
    goal: str = ""

    @property
    def ratio(self):
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def print_table(rows):
    print("| benchmark | measure | value | baseline | ratio | goal |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        baseline = "" if row.baseline is None else f"{row.baseline:,.2f} {row.unit}"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}×"
        print(f"| {row.benchmark} | {row.measure} | {row.value:,.2f} {row.unit} | {baseline} | {ratio} | {row.goal} |")


def django_setup(database_url=None, **env):
    """Configure Django in this process (for in-process benchmarks)."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volnet.settings")
    import django

    django.setup()


def bench_database(name):
    """A fresh SQLite file under var/bench/ for one benchmark, migrated."""
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    manage("migrate", "--noinput", "-v0", database_url=url)
    return url


def psql(sql, database="postgres", check=False):
    """psql on the benchmarks' PostgreSQL (BENCH_PG_URL): the finished process, its rows unaligned in stdout."""
    url = urllib.parse.urlparse(PG)
    return subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d", database,
         "-qtAc", sql], capture_output=True, text=True, check=check,
    )


def kept_dataset(name, volunteers, units, records, most_records=None):
    """A PostgreSQL database `name` of `volunteers` generated volunteers (generate_data: `records` service records
    each, or between `records` and `most_records`), made once and kept between runs; a kept one made by older
    code is brought up to date first."""
    url = f"{PG}/{name}"
    probe = psql("SELECT count(*) FROM accounts_user WHERE national_id LIKE 'K%'", name)
    if probe.returncode == 0 and probe.stdout.strip() == str(volunteers):
        _up_to_date(url)
        return url
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0", database_url=url)
    print(f"   generating {volunteers:,} volunteers (once; kept in database {name})", flush=True)
    sizes = ["--records-per-volunteer", str(records)]
    if most_records is not None:
        sizes += ["--most-records-per-volunteer", str(most_records)]
    manage("generate_data", "--volunteers", str(volunteers), "--units", str(units), *sizes, database_url=url)
    return url


def _up_to_date(url):
    """A kept data set made by older code: apply the migrations it lacks, and when one of them is the
    statistics' (a new summary table starts empty) sum the statistics again (16 minutes at 20M records).
    Nothing to do, nothing done."""
    env = {**os.environ, "DATABASE_URL": url}
    plan = subprocess.run([sys.executable, "manage.py", "showmigrations", "--plan"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True).stdout
    pending = [line.split()[-1] for line in plan.splitlines() if line.startswith("[ ]")]
    if pending:
        print(f"   migrating the kept data set {urllib.parse.urlparse(url).path.lstrip('/')}: {', '.join(pending)}",
              flush=True)
        manage("migrate", "--noinput", "-v0", database_url=url)
        if any(name.startswith("statistics.") for name in pending):
            manage("rebuild_statistics", "--quiet-bar", database_url=url)


def manage(*args, database_url=None, env=None):
    full_env = {**os.environ, **(env or {})}
    if database_url:
        full_env["DATABASE_URL"] = database_url
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=full_env, cwd=ROOT)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server(str):
    """The base URL of a running server; `.process` is its gunicorn master (a subprocess.Popen)."""

    process = None


def server_env(database_url, env=None):
    """The environment of the benchmarks' servers, and of anything that renders a page as they do (DEBUG off,
    so the static files' manifest is needed: `collect_static` makes it)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "volnet.settings",
        "DEBUG": "0",
        "VOLNET_SECURE": "0",
        "VOLNET_BENCH": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Its own static folder: a collectstatic here must not disturb a test run using var/static.
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        **(env or {}),
    }


def collect_static(env):
    manage("collectstatic", "--noinput", "-v0", env=env)


@contextlib.contextmanager
def gunicorn(database_url, workers=2, env=None, collect=True, config=None):
    """Serve the project with gunicorn (sync workers) on a free port; yields the base URL. `collect=False`: for
    settings that serve static files from the apps' folders (volnet.settings_test), no collectstatic. `config`:
    a gunicorn config file (hooks, e.g. bench/cpu_hooks.py)."""
    port = free_port()
    full_env = server_env(database_url, env)
    if collect:
        collect_static(full_env)
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "volnet.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--worker-class", "sync", "--log-level", "warning", *(["-c", str(config)] if config else [])],
        cwd=ROOT, env=full_env, stdout=log, stderr=log, start_new_session=True,
    )
    url = Server(f"http://127.0.0.1:{port}")
    url.process = process
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except Exception:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("gunicorn exited: " + log.read().decode(errors="replace")[-2000:]) from None
                time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


class Browser:
    """One person's browser against a server: its own cookies. `get` and `post` return (status, body, seconds)."""

    def __init__(self, base_url):
        import http.cookiejar

        self.base, self.jar = base_url, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, path, data=None, timeout=30):
        started = time.monotonic()
        try:
            with self.opener.open(self.base + path, data=data, timeout=timeout) as response:
                return response.status, response.read().decode(), time.monotonic() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), time.monotonic() - started

    def get(self, path, timeout=30):
        return self._open(path, timeout=timeout)

    def post(self, path, fields, timeout=30):
        import urllib.parse

        return self._open(path, urllib.parse.urlencode(fields).encode(), timeout)

    def sign_in(self, national_id, password):
        status, _, _ = self.post("/bench/sign-in", {"national_id": national_id, "password": password})
        if status != 200:
            raise RuntimeError(f"bench sign-in of {national_id} answered {status}")

    def forget(self, cookie_name):
        for cookie in [c for c in self.jar if c.name == cookie_name]:
            self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def form(self, path):
        """The values of the inputs of the page at `path` (the CSRF token among them), as a browser would send them."""
        from html.parser import HTMLParser

        fields = {}

        class Inputs(HTMLParser):
            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "input" and attrs.get("name") and attrs.get("type") not in ("file", "submit", "checkbox"):
                    fields.setdefault(attrs["name"], attrs.get("value") or "")

        Inputs().feed(self.get(path)[1])
        return fields


def form_value(html, name):
    """The value of the form field `name` in a page (a hidden field, or a box filled in), or ""."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def captcha_code(session_key, key):
    """What the captcha image of challenge `key` shows in session `session_key`, read from the server's session
    store as the image view reads it: the load test's stand-in for a person reading the picture."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.conf import settings

    from volnet.accounts import captcha

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return captcha.code_for(SimpleNamespace(session=store), key)


def session_cookie(base_url, national_id, password):
    """Sign in through the bench-only endpoint and return the session cookie header value."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urllib.parse.urlencode({"national_id": national_id, "password": password}).encode()
    opener.open(base_url + "/bench/sign-in", data=data, timeout=10)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


SIGN_IN = """
import sys
from bench.util import session_for
from django.conf import settings
from volnet.accounts.models import User
ids = sys.stdin.read().split()
users = User.objects.in_bulk(ids, field_name="national_id")
for national_id in ids:
    print("COOKIE", national_id, f"{settings.SESSION_COOKIE_NAME}={session_for(users[national_id])}")
"""


def session_for(user, site="portal"):
    """The key of a signed-in session written straight into the configured session store: what a sign-in
    leaves there, without the password hash, the captcha, or a write to the user's row (last_login), so it
    can be made for thousands of people in a kept data set. Call with Django set up."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from volnet.accounts.middleware import SIGNED_IN_AT

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                  HASH_SESSION_KEY: user.get_session_auth_hash(), SIGNED_IN_AT: int(time.time()),
                  "volnet_site": site})
    store.create()
    return store.session_key


def signed_in_cookies(env, national_ids):
    """{national_id: Cookie header} for sessions made directly in the store the server uses (`env`: the server's,
    see server_env), as a sign-in makes them: thousands in seconds, no password hashing or captcha."""
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", SIGN_IN], cwd=ROOT, env=env, check=True,
                         input="\n".join(national_ids), capture_output=True, text=True).stdout
    cookies = dict(line.split(" ", 2)[1:] for line in out.splitlines() if line.startswith("COOKIE "))
    if len(cookies) != len(set(national_ids)):
        raise RuntimeError(f"made {len(cookies)} sessions for {len(set(national_ids))} volunteers")
    return cookies


def wrk(url, cookie="", connections=50, seconds=10, threads=2, script=None, script_args=(), details=None,
        timeout=None):
    """Requests per second and latency percentiles (ms) from wrk, or raise if it is missing.
    `script`: a wrk Lua file, e.g. one that walks a list of URLs, given `script_args`. `details`: a dict to
    fill with the number of requests answered and, when the script prints it (`Sent: N`), sent. `timeout`
    (seconds): wait this long for an answer (wrk's own is 2 s, and a request that times out is not counted)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian package wrk)")
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if timeout:
        command += ["--timeout", f"{timeout}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    if script_args:
        command += [url, "--", *map(str, script_args)]
    else:
        command.append(url)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output) or re.search(r"Not 200:\s+([1-9]\d*)", output)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses under load")
    if timeout and re.search(r"Socket errors:.*timeout [1-9]", output):
        raise RuntimeError(f"{url}: requests timed out after {timeout} s: {output}")
    percentiles = {}
    for label, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)", output, re.M):
        factor = {"us": 0.001, "ms": 1, "s": 1000}[unit]
        percentiles[int(label)] = float(value) * factor
    if details is not None:
        details["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
        sent = re.search(r"^Sent: (\d+)", output, re.M)
        details["sent"] = int(sent.group(1)) if sent else details["requests"]
    return rps, percentiles


def peak_memory_mb(function, *args, **kwargs):
    """Run `function` in a child process and report its peak resident memory (MB) and its result."""
    import multiprocessing
    import resource

    def target(queue):
        result = function(*args, **kwargs)
        queue.put((result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=target, args=(queue,))
    process.start()
    result, peak = queue.get()
    process.join()
    return peak, result
