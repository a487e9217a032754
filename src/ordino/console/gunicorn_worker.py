"""The gunicorn worker `ordino serve` runs: gthread, with every read from a client bounded.

gunicorn's gthread worker parks idle connections in a poller without a thread, but a thread
first waits up to 5 s for a new connection's first bytes, then reads its headers and body with
no time limit, and drains an unread body for up to 5 s after answering: a few clients that
connect and stop halfway hold every thread (a sync worker is stalled by one idle connection).
Here a thread never waits on a silent client:
- a new connection with nothing to read yet goes to the poller at once;
- each read and write times out after ORDINO_REQUEST_READ_TIMEOUT_SECONDS of silence: the
  connection is dropped (headers) or the request answered 408 (body; see ordino.core.api_edge);
- a body left unread by the answer (a 401 before the body arrived) is not waited for: the
  connection is closed instead of kept alive.
"""

from __future__ import annotations

import os
import time

from gunicorn.workers import gthread


def read_timeout() -> float:
    return float(os.environ.get("ORDINO_REQUEST_READ_TIMEOUT_SECONDS", "5"))


FIRST_BYTES_WAIT = 0.05  # seconds a thread waits for a new connection's first bytes
UNREAD_BODY_WAIT = 0.05  # seconds a thread drains a body the answer left unread


class BoundedConn(gthread.TConn):
    def wait_for_data(self, timeout: float) -> bool:
        return super().wait_for_data(min(timeout, FIRST_BYTES_WAIT))

    def init(self) -> None:
        # The worker thread calls init() before each request on the connection, after it has
        # made the socket blocking (no limit): the limit is set again every time.
        super().init()
        self.sock.settimeout(read_timeout())


class BoundedReadThreadWorker(gthread.ThreadWorker):
    def accept(self, listener) -> None:
        try:
            client_sock, client_addr = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):  # another worker took it, or it left
            return
        self.nr_conns += 1
        client_sock.setblocking(True)
        self.enqueue_req(BoundedConn(self.cfg, client_sock, client_addr, listener.getsockname()))

    def _keepalive_after(self, conn, keepalive: bool) -> bool:
        if not keepalive:
            return False
        # True only when the rest of the body is already here (then the connection is reused)
        return bool(conn.parser.finish_body(deadline=time.monotonic() + UNREAD_BODY_WAIT))
