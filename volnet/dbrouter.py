"""Read-replica routing for PostgreSQL (DATABASE_REPLICA_URL).

Reads go to the replica only inside requests that opted in through `replica_reads()` (set by
ReplicaMiddleware for safe requests), and never for a short while after the same browser wrote
something, so a volunteer always sees what they just saved.
"""

import contextlib
import contextvars
import time

from django.conf import settings

_use_replica = contextvars.ContextVar("volnet_use_replica", default=False)
PIN_COOKIE = "volnet_primary_until"
PIN_SECONDS = 15


@contextlib.contextmanager
def replica_reads(enabled=True):
    token = _use_replica.set(enabled)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if "replica" in settings.DATABASES and _use_replica.get():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD")
        pinned = _pinned_until(request) > time.time()
        with replica_reads(safe and not pinned):
            response = self.get_response(request)
        if not safe:
            response.set_cookie(PIN_COOKIE, str(int(time.time()) + PIN_SECONDS), max_age=PIN_SECONDS,
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response


def _pinned_until(request):
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0
