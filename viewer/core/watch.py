"""Noticing changes in a library folder (watchdog), batched so a checkout is one update.

Editors save in bursts (write a temp file, rename it over the old one) and
``git checkout`` can touch thousands of files at once. Events are collected
until the folder has been quiet for a moment (or, during a long storm, at
most every few seconds) and handed over as one batch: the changed runbook
paths, or ``None`` when so much changed, or a folder moved, that a full
(still incremental) rescan is cheaper than following each path.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from viewer.core.library import IGNORED_DIRS, is_runbook_name

log = logging.getLogger(__name__)

ChangeCallback = Callable[[set[str] | None], None]


class LibraryWatcher(FileSystemEventHandler):
    """Calls ``on_change(paths or None)`` from its own thread after changes settle."""

    def __init__(self, root: Path, on_change: ChangeCallback, *, quiet_seconds: float = 0.3,
                 max_delay: float = 2.0, storm_size: int = 200,
                 mounts: dict[str, Path] | None = None) -> None:
        super().__init__()
        self.root = Path(os.path.realpath(root))
        # The union library's sources live elsewhere; each is watched where it really is.
        self.mounts = {name: Path(os.path.realpath(p)) for name, p in (mounts or {}).items()}
        self._on_change = on_change
        self._quiet = quiet_seconds
        self._max_delay = max_delay
        self._storm_size = storm_size
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._rescan = False
        self._timer: threading.Timer | None = None
        self._first_event_at = 0.0
        self._observer: Observer | None = None  # type: ignore[valid-type]

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> str:
        """Start watching; returns "" or why live updates are unavailable."""
        try:
            observer = Observer()
            observer.schedule(self, str(self.root), recursive=True)
            for target in self.mounts.values():
                observer.schedule(self, str(target), recursive=True)
            observer.daemon = True
            observer.start()
        except OSError as err:  # inotify watch limit reached, folder gone...
            log.warning("cannot watch %s: %s", self.root, err)
            return (f"Changes to files in {self.root} will not show up by themselves "
                    f"({err.strerror or err}); press F5 to reload.")
        self._observer = observer
        return ""

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    # -- events ---------------------------------------------------------------------
    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, event.dest_path] if event.dest_path else [event.src_path]
        rels = [rel for rel in (self._relative(p) for p in paths) if rel is not None]
        if not rels:
            return
        with self._lock:
            if event.is_directory and event.event_type in ("moved", "deleted", "created"):
                self._rescan = True  # every runbook below moved with it
            for rel in rels:
                if is_runbook_name(rel):
                    self._paths.add(rel)
            if len(self._paths) > self._storm_size:
                self._rescan = True
            if not self._paths and not self._rescan:
                return
            self._schedule()

    def _relative(self, path: bytes | str) -> str | None:
        text = Path(os.fsdecode(path))
        try:
            rel = text.relative_to(self.root).as_posix()
        except ValueError:
            for name, target in self.mounts.items():
                if text == target or target in text.parents:
                    inner = text.relative_to(target).as_posix()
                    rel = name if inner == "." else f"{name}/{inner}"
                    break
            else:
                return None
        parts = rel.split("/")
        if any(part.startswith(".") or part in IGNORED_DIRS for part in parts):
            return None  # .git internals, editor swap files, build output
        return rel

    def _schedule(self) -> None:
        import time

        now = time.monotonic()
        if self._timer is None:
            self._first_event_at = now
        else:
            self._timer.cancel()
        waited = now - self._first_event_at
        delay = max(0.0, min(self._quiet, self._max_delay - waited))
        self._timer = threading.Timer(delay, self._flush)
        self._timer.daemon = True
        self._timer.start()

    def _flush(self) -> None:
        with self._lock:
            paths, rescan = self._paths, self._rescan
            self._paths, self._rescan, self._timer = set(), False, None
        try:
            self._on_change(None if rescan else paths)
        except Exception:  # the watcher thread must survive a failing consumer
            log.exception("handling library changes failed")
