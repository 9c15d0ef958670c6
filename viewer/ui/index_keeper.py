"""Keeping the window's search index current: first build, live updates, one job at a time.

The keeper opens the library's index and refreshes it on a worker thread,
starts the file watcher, and turns its batches of changes into further
refreshes. Changes that arrive while a refresh runs are merged and applied
right after it, so a checkout's event storm costs one or two passes, and
the UI thread never waits for SQLite or a parser.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from PySide6.QtCore import QObject, QThreadPool, Signal

from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import RefreshReport, refresh_index
from viewer.core.watch import LibraryWatcher
from viewer.ui.tasks import run_in_pool

log = logging.getLogger(__name__)


class IndexKeeper(QObject):
    """Signals: ``opened()`` once the index is open (its check of the files still to come),
    ``updated(report)``, ``progress(done, total)``, ``problem(message)``."""

    opened = Signal()
    updated = Signal(object)
    progress = Signal(int, int)
    problem = Signal(str)
    _changes = Signal(object)  # from the watcher's thread
    _finished = Signal(object, object)  # report, error

    def __init__(self, library: Library, parent: QObject | None = None, *,
                 watch: bool = True) -> None:
        super().__init__(parent)
        self.library = library
        self.index: SearchIndex | None = None
        self.ready = False
        self.last_report: RefreshReport | None = None
        self._watch = watch
        self._watcher: LibraryWatcher | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = False
        self._pending: set[str] = set()  # paths changed since the last pass
        self._pending_full = False
        self._cancel = threading.Event()
        self._changes.connect(self._queue)
        self._finished.connect(self._done)

    def start(self) -> None:
        """Open (or heal) the index, bring it up to date, then follow the folder."""
        self._pending_full = True
        self._kick()
        self._start_watcher()

    def _start_watcher(self) -> None:
        if self._watch:
            self._watcher = LibraryWatcher(self.library.root, self._changes.emit,
                                           mounts=self.library.mounts())
            message = self._watcher.start()
            if message:
                self._watcher = None
                self.problem.emit(message)

    def rewatch(self) -> None:
        """After a sync switched a source's copy: watch where the sources are now, rescan."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._start_watcher()
        self.refresh_now()

    @property
    def watching(self) -> bool:
        """True while changes on disk reach the keeper by themselves."""
        return self._watcher is not None

    def stop(self) -> None:
        self._cancel.set()
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._pool.waitForDone(10000)
        if self.index is not None:
            self.index.close()

    def refresh_now(self) -> None:
        """A full (incremental) pass, as after F5 or a sync."""
        self._queue(None)

    # -- work ---------------------------------------------------------------------
    def _queue(self, paths: set[str] | None) -> None:
        if paths is None:
            self._pending_full = True
        else:
            self._pending |= paths
        if not self._running:
            self._kick()

    def _kick(self) -> None:
        if self._running or self._cancel.is_set():
            return
        full = self._pending_full
        paths = None if full else set(self._pending)
        if not full and not paths:
            return
        self._pending_full, self._pending = False, set()
        self._running = True
        library, cancel = self.library, self._cancel

        def job() -> RefreshReport:
            if self.index is None:
                from viewer.core.search import open_index

                self.index = open_index(library)
                self.opened.emit()  # what it held can be shown while the files are checked
            return refresh_index(self.index, library, paths=paths,
                                 progress=self.progress.emit, cancel=cancel)

        run_in_pool(self._pool, job, self._finished.emit)

    def _done(self, report: RefreshReport | None, error: BaseException | None) -> None:
        self._running = False
        if error is not None:
            if isinstance(error, sqlite3.Error | OSError):
                self.problem.emit(f"The search index could not be updated ({error}). "
                                  "Search shows what it had; it will try again on the next "
                                  "change.")
            else:
                log.error("index refresh failed", exc_info=error)
                self.problem.emit(f"The search index could not be updated ({error}).")
        elif report is not None:
            self.ready = True
            self.last_report = report
            self.updated.emit(report)
        self._kick()
