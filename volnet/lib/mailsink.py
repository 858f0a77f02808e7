"""A real SMTP server that keeps what it receives: the local outbox of `make run`, and the mail
server of the test suite. Each message is written as an .eml file and kept in memory. `stall_seconds`
makes it a slow server: it waits that long before answering each recipient (before the message is sent);
`held` counts the senders it is keeping waiting now."""

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port():
    # aiosmtpd's Controller(port=0) fails its own start-up check, so pick a port first.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.sink.stall_seconds:
            self.sink.held += 1
            try:
                await asyncio.sleep(self.sink.stall_seconds)
            finally:
                self.sink.held -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.sink._store(envelope.content, envelope.rcpt_tos)
        return "250 OK"


class MailSink:
    def __init__(self, folder=None, port=None, host="127.0.0.1"):
        self.folder = Path(folder) if folder else None
        self.host = host
        self.port = port or free_port()
        self.messages = []
        self.stall_seconds = 0
        self.held = 0
        self._lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname=host, port=self.port)

    def start(self):
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _store(self, content, recipients):
        message = message_from_bytes(content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            if self.folder:
                name = f"{time.time_ns()}.eml"
                (self.folder / name).write_bytes(content)

    def clear(self):
        with self._lock:
            self.messages.clear()
        self.stall_seconds = 0

    def wait_for(self, count=1, timeout=10.0, to=None):
        """Wait until `count` messages (to `to`, if given) arrived; return them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [m for m in self.messages if to is None or to in (m["To"] or "")]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)
