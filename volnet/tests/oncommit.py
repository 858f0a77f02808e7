"""`transaction.on_commit` in tests as in production.

A test runs inside transactions of its own that are rolled back at its end, so Django never runs on_commit
callbacks there (its answer is `captureOnCommitCallbacks`, which runs them when the test asks). Mail and tasks
are queued from on_commit, so without this a test would see no mail. `as_in_production()` makes a callback run
when production would run it: at once when no transaction of the code under test is open, else when the
outermost one that is open ends without error (its savepoint released: in production, its commit). A block
that fails drops its callbacks, as a rollback does. Transactional tests (live_server, threads) commit for real
and are left alone."""

import contextlib
import logging
from unittest import mock

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

_on_commit = BaseDatabaseWrapper.on_commit
_exit = transaction.Atomic.__exit__


def _only_the_tests_blocks(connection, blocks=None):
    blocks = connection.atomic_blocks if blocks is None else blocks
    return bool(blocks) and all(block._from_testcase for block in blocks)


def _run(func, robust):
    if not robust:
        return func()
    try:
        func()
    except Exception:
        logger.exception("on_commit callback %r failed", func)


def on_commit(self, func, robust=False):
    if self.in_atomic_block and _only_the_tests_blocks(self):
        _run(func, robust)  # production would be in autocommit here: the callback runs now
    else:
        _on_commit(self, func, robust)


def atomic_exit(self, exc_type, exc_value, traceback):
    connection = transaction.get_connection(self.using)
    blocks = connection.atomic_blocks
    outermost = (not self._from_testcase and len(blocks) > 1 and blocks[-1] is self
                 and _only_the_tests_blocks(connection, blocks[:-1]))
    result = _exit(self, exc_type, exc_value, traceback)
    if outermost and exc_type is None and connection.in_atomic_block and not connection.needs_rollback:
        callbacks, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _sids, func, robust in callbacks:
            _run(func, robust)
    return result


@contextlib.contextmanager
def as_in_production():
    with mock.patch.object(BaseDatabaseWrapper, "on_commit", on_commit), \
            mock.patch.object(transaction.Atomic, "__exit__", atomic_exit):
        yield
