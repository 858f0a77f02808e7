"""A real Redis and a real `celery worker` for the tests that need them (fixture `celery_worker`, conftest.py).

`redis_server()` runs its own redis-server on a free port (no data kept), so parallel test processes and other
projects on the machine never share a queue. `Worker` runs `celery -A volnet worker` in a subprocess on the
test database and the test mail server; `kill()` is kill -9. `queue_to(worker)` points this process's Celery
app at the worker's broker (tasks are eager in tests otherwise) and back afterwards."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server():
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install redis-server (scripts/system-deps.sh test)"
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def database_url(settings_dict):
    """The DATABASE_URL of the (test) database Django is connected to, for another process."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{login}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/" \
           f"{settings_dict['NAME']}"


class Worker:
    def __init__(self, broker_url, database, mail_port, visibility_timeout=2):
        self.broker_url = broker_url
        self.queue = f"volnet-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ, "DATABASE_URL": database, "CELERY_BROKER_URL": broker_url, "CELERY_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout), "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_port), "EMAIL_TIMEOUT": "30", "MAIL_SEND_LEASE": "15",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "volnet.settings",
        }
        self.process = None
        self.log = []

    def start(self, **env):
        ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "volnet", "worker", "--pool", "solo", "--loglevel", "info",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "-Q", self.queue,
             "-n", f"{self.queue}@%h"],
            cwd=ROOT, env={**self.env, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )

        def read(stream):
            for line in stream:
                self.log.append(line)
                if " ready." in line:
                    ready.set()

        threading.Thread(target=read, args=(self.process.stdout,), daemon=True).start()
        assert ready.wait(60), "the worker did not start:\n" + "".join(self.log[-40:])
        return self

    def wait_until_done(self, result, timeout=30):
        """Wait until the worker has run the task `result` (an AsyncResult) to its end, as its log says."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(f"[{result.id}] succeeded" in line or f"[{result.id}] raised" in line for line in self.log):
                return True
            time.sleep(0.05)
        return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """kill -9, the worker and its children: no chance to give back what it holds."""
        os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def queue_to(worker):
    """Tasks queued by this process go to `worker` instead of running eagerly."""
    from volnet.celery import app

    saved = {name: app.conf[name] for name in ("task_always_eager", "broker_url", "task_default_queue")}

    def reset_connections():  # the next publish makes its pool for the broker now configured (kombu keeps them)
        app._pool = None
        app.amqp._producer_pool = None

    reset_connections()
    app.conf.update(task_always_eager=False, broker_url=worker.broker_url, task_default_queue=worker.queue)
    try:
        yield
    finally:
        reset_connections()
        app.conf.update(saved)
