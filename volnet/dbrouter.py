"""Read-replica routing for PostgreSQL (DATABASE_REPLICA_URL).

Reads go to the replica only inside requests that opted in through `replica_reads()` (set by
ReplicaMiddleware for safe requests), and never:
- for a short while after the same browser wrote something (a cookie), so a volunteer always sees what they
  just saved although the replica may lag behind;
- after the request itself wrote, so a request reads back its own rows;
- while the replica does not answer: reads go to the primary, without an error, and the replica is tried
  again a few seconds later. A request whose replica went away in the middle is answered from the primary.
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections

_use_replica = contextvars.ContextVar("volnet_use_replica", default=False)
PIN_COOKIE = "volnet_primary_until"
PIN_SECONDS = 15
# After the replica failed to answer, this process reads from the primary for this long before trying it
# again: a replica that is down costs one connection attempt per process per interval, not one per request.
RETRY_SECONDS = 5
_replica_down_until = 0.0
log = logging.getLogger(__name__)


@contextlib.contextmanager
def replica_reads(enabled=True):
    token = _use_replica.set(enabled)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_down():
    """Note that the replica failed: reads go to the primary for RETRY_SECONDS."""
    global _replica_down_until
    log.warning("The read replica does not answer: reading from the primary for %s s", RETRY_SECONDS)
    _replica_down_until = time.monotonic() + RETRY_SECONDS
    with contextlib.suppress(DatabaseError):
        connections["replica"].close()


def _replica_answers():
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections["replica"]
    try:
        replica.close_if_health_check_failed()  # a connection the replica's restart broke is dropped here…
        replica.ensure_connection()  # …and a new one tried, within the connect timeout (settings.py)
    except DatabaseError:
        replica_down()
        return False
    return True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and "replica" in settings.DATABASES and _replica_answers():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        _use_replica.set(False)  # what this request wrote, it reads back from where it wrote it
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

    def process_exception(self, request, exception):
        """The replica went away while this (safe) request read from it: answer it again from the primary."""
        if not (_use_replica.get() and isinstance(exception, OperationalError)
                and not connections["replica"].is_usable()):
            return None
        replica_down()
        match = request.resolver_match
        with replica_reads(False):
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        return response


def _pinned_until(request):
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0
