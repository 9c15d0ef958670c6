"""How long a sync may wait on the network: per-read timeouts, and a deadline for the whole sync.

A server that accepts a connection and never answers, or sends headers and
then stalls, is cut off by the read timeout. One that trickles a byte now
and then is cut off by the sync's deadline: a timer shuts down every socket
the sync opened and kills its ssh process, so the blocked read returns, the
sync fails with a plain sentence, and the source's lock is released.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from typing import Any

CONNECT_SECONDS = 15.0
STALL_SECONDS = 45.0  # no byte at all for this long: the server is not coming back
SYNC_SECONDS = 15 * 60.0  # a whole sync, first shallow clone of a large repository included


class SyncTimedOut(Exception):
    """The sync went past its deadline; ``str(err)`` says so in the user's words."""


class SyncDeadline:
    """The deadline of one sync, and everything it must cut when the deadline passes."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = SYNC_SECONDS if seconds is None else seconds
        self.at = time.monotonic() + self.seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._processes: list[subprocess.Popen] = []
        self._timer: threading.Timer | None = None

    def __enter__(self) -> SyncDeadline:
        self._timer = threading.Timer(self.remaining(), self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at

    def check(self) -> None:
        if self.passed():
            raise SyncTimedOut(self.message())

    def message(self) -> str:
        took = f"{self.seconds / 60:.0f} minutes" if self.seconds >= 120 else \
            f"{self.seconds:.0f} seconds"
        return f"the sync took longer than {took} and was stopped (is the server very slow?)"

    def track_socket(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.expired:
            self._expire()

    def track_process(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.append(process)
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        self.expired = True
        with self._lock:
            sockets, processes = list(self._sockets), list(self._processes)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # a read blocked in another thread returns
        for process in processes:
            with contextlib.suppress(OSError):
                process.kill()

    # -- HTTP -------------------------------------------------------------------
    def pool_manager(self, base_url: str) -> Any:
        """dulwich's own connection pool (proxy and certificates from the user's git config and
        environment), with read and connect timeouts, whose sockets this deadline can cut."""
        import urllib3
        from dulwich.client import default_urllib3_manager

        timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=STALL_SECONDS)
        manager = default_urllib3_manager(None, base_url=base_url,
                                          timeout=timeout)  # type: ignore[arg-type]
        manager.pool_classes_by_scheme = _tracking_pools(self)
        # A read that timed out is not tried again: the server already had its 45 s.
        manager.connection_pool_kw["retries"] = urllib3.Retry(
            total=3, connect=2, read=0, redirect=5, status=0, raise_on_redirect=True)
        return manager


def _tracking_pools(deadline: SyncDeadline) -> dict[str, type]:
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class TrackedHTTPConnection(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.track_socket(self.sock)

    class TrackedHTTPSConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.track_socket(self.sock)

    class TrackedHTTPPool(HTTPConnectionPool):
        ConnectionCls = TrackedHTTPConnection

    class TrackedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPSConnection

    return {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}
