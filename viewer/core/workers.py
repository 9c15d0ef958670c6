"""Parsing many pages on every core: worker processes, and the same work in-process if not.

The index build and the checker both parse thousands of pages with pure
Python parsers; one process uses one core. Workers are spawned (never
forked: the window has threads whose locks a fork would copy mid-use), each
exits when the process that started it is gone, and where no worker can
start (a sandbox, a frozen app without its bootstrap) the rest of the work
runs in this process: slower, never lost.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from viewer.core.lazy_log import LazyLogger

log = LazyLogger(__name__)


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))  # every core, to 8: each holds the parsers


def die_with_parent(parent: int) -> None:
    """In a worker process: exit as soon as the process that started it is gone.

    A parent killed with SIGKILL cannot stop its workers, and they hold the
    pool's pipes open, so nothing else ends them (nor the resource tracker
    they keep alive): each watches for being handed to another parent.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="die with parent", daemon=True).start()


def _start_worker(parent: int, setup: Callable[..., None] | None, setup_args: tuple) -> None:
    die_with_parent(parent)
    if setup is not None:
        setup(*setup_args)


def map_in_workers(fn: Callable[..., Any], calls: Sequence[tuple], *, workers: int,
                   parallel_from: int, setup: Callable[..., None] | None = None,
                   setup_args: tuple = ()) -> Iterator[Any]:
    """``fn(*call)`` for each of ``calls``, in order; in ``workers`` processes when there
    are at least ``parallel_from`` calls. ``setup(*setup_args)`` runs once in each process
    that calls ``fn`` (module-level functions only: they are sent to the workers)."""
    done = 0
    if workers > 1 and len(calls) >= parallel_from:
        # Imported here: a search that finds nothing changed never starts a process.
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        from multiprocessing import get_context

        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                     initializer=_start_worker,
                                     initargs=(os.getpid(), setup, setup_args)) as pool:
                chunk = max(8, min(64, len(calls) // (workers * 8)))
                for result in pool.map(fn, *zip(*calls, strict=True), chunksize=chunk):
                    yield result
                    done += 1
        except (BrokenProcessPool, OSError) as err:
            log.warning("parsing in worker processes failed (%s); continuing here", err)
    if done < len(calls) and setup is not None:
        setup(*setup_args)
    for call in calls[done:]:
        yield fn(*call)
