"""Running core work off the UI thread and bringing results back safely.

A :class:`TaskRunner` runs plain functions in a thread pool and delivers
their result (or the exception) by signal on the UI thread. Each named
channel keeps only its newest request: a slow result that was overtaken by
a newer one is dropped (git-cola's stale-result guard), so a fast typist or
a quick succession of clicks never sees an old page flash up.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    finished = Signal(str, int, object, object)  # channel, ticket, result, error


class _Call(QRunnable):
    """Runs ``fn`` on a pool thread and hands ``deliver`` its result or its exception."""

    def __init__(self, fn: Callable[[], Any],
                 deliver: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__()
        self._fn, self._deliver = fn, deliver

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except BaseException as err:  # delivered to the UI, which shows a message
            result, error = None, err
        # RuntimeError: the window closed while this ran, and nobody is waiting for it.
        with contextlib.suppress(RuntimeError):
            self._deliver(result, error)


def run_in_pool(pool: QThreadPool, fn: Callable[[], Any],
                deliver: Callable[[Any, BaseException | None], None]) -> None:
    """Run ``fn`` on ``pool``; ``deliver`` is called on the pool thread (emit a signal there)."""
    pool.start(_Call(fn, deliver))


class TaskRunner(QObject):
    """Runs functions in the background; callbacks run on the UI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[int, tuple[Callable[[Any], None],
                                         Callable[[BaseException], None]]] = {}

    def run(self, channel: str, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> int:
        ticket = next(self._tickets)
        self._latest[channel] = ticket
        self._callbacks[ticket] = (on_done, on_error)
        run_in_pool(self._pool, fn, lambda result, error: self._relay.finished.emit(
            channel, ticket, result, error))
        return ticket

    def busy(self, channel: str) -> bool:
        return self._latest.get(channel) in self._callbacks

    def _deliver(self, channel: str, ticket: int, result: Any, error: Any) -> None:
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None or self._latest.get(channel) != ticket:
            return  # overtaken by a newer request on the same channel
        on_done, on_error = callbacks
        if error is not None:
            on_error(error)
        else:
            on_done(result)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
