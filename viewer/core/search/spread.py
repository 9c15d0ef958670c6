"""Ranking one query on several cores: each range of file ids scored in its own thread.

FTS5 scores the matches of a query on one core, about 2 µs for each
matching runbook, so a query that 12,000 of 50,000 runbooks match takes
25 ms however few results are shown. SQLite lets go of Python's lock while
it works, so the ranges, each read on its own thread's connection, are
scored at the same time, and the best of each range are merged.

The merge is exact: ``bm25()`` takes its word weights (IDF) from the whole
table, whatever rowid range the query is limited to, so a runbook scores
the same in its range as in the whole index, and the best ``limit`` of
the whole are among the best ``limit`` of each range.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # loaded with the first spread query: a command-line search rarely needs it
    from concurrent.futures import Future, ThreadPoolExecutor

Row = TypeVar("Row")
RangeRead = Callable[[sqlite3.Connection, int, int], list[Row]]

SPREAD_FROM = 10_000  # runbooks: below this a query takes a few ms; measured level at 5,000
_MOST_WAYS = 4  # beyond this each range repeats FTS5's IDF count for little gain


def default_ways() -> int:
    """How many ranges a query is split into: one per core, up to four."""
    return max(1, min(_MOST_WAYS, os.cpu_count() or 1))


class RowidSpread:
    """Runs one read over ranges of file ids at once, each on a thread's own connection.

    ``connect`` returns the calling thread's connection (the index keeps one
    per thread); the calling thread reads the first range itself.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], ways: int) -> None:
        self._connect = connect
        self.ways = ways
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def ranges(self, conn: sqlite3.Connection, runbooks: int) -> list[tuple[int, int]]:
        """The file-id ranges to read for a library of ``runbooks``, or [] when it is too
        small to gain."""
        if self.ways < 2 or runbooks < SPREAD_FROM:
            return []
        # min() and max() each in their own select: together they scan the table.
        low, high = conn.execute(
            "SELECT (SELECT min(id) FROM files), (SELECT max(id) FROM files)").fetchone()
        if low is None:
            return []
        step = (high - low) // self.ways + 1
        return [(low + i * step, min(high, low + (i + 1) * step - 1)) for i in range(self.ways)]

    def read(self, conn: sqlite3.Connection, read: RangeRead,
             ranges: list[tuple[int, int]]) -> list[list[Row]]:
        """``read(connection, low, high)`` for every range, in the order of ``ranges``."""
        pool = self._executor()
        others: list[Future[list[Row]]] = [
            pool.submit(self._read_here, read, low, high) for low, high in ranges[1:]]
        first = read(conn, *ranges[0])
        return [first, *(future.result() for future in others)]

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False)
                self._pool = None

    def _read_here(self, read: RangeRead, low: int, high: int) -> list[Row]:
        return read(self._connect(), low, high)

    def _executor(self) -> ThreadPoolExecutor:
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.ways - 1,
                                                thread_name_prefix="search range")
            return self._pool
