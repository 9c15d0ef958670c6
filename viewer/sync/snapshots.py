"""The local copy of each git source: snapshots switched atomically, and sync status.

Per source, under the user's data directory::

    sources/<name>/git/                  bare repository (objects only)
    sources/<name>/snapshots/<commit>.<n>/   complete copies of the files
    sources/<name>/snapshots/.building-*/    a copy being written (never shown)
    sources/<name>/current -> snapshots/<commit>.<n>
    sources/<name>/status.json           last sync time, last attempt, last error

A sync writes a new snapshot beside the current one, checks it, flushes it to
disk, and only then points ``current`` at it with one ``rename`` of a symlink,
which POSIX makes atomic. Whatever stops a sync before that (a cut network, a
wrong password, a full disk, the app killed) leaves ``current`` where it was.
Old snapshots and unfinished ones are deleted only after a switch.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from viewer.core.config import write_atomically
from viewer.locations import data_dir

BUILDING_PREFIX = ".building-"
_cleaners: list[threading.Thread] = []  # not daemons: a command waits for them at exit
_cleaners_lock = threading.Lock()


def wait_for_cleanups() -> None:
    """Block until old snapshots deleted after a switch are gone."""
    with _cleaners_lock:
        pending = list(_cleaners)
        _cleaners.clear()
    for thread in pending:
        thread.join()


def sources_root() -> Path:
    return data_dir() / "sources"


@dataclass
class SyncStatus:
    """What the user sees about a source's copy; times are seconds since the epoch."""

    last_sync: float = 0.0  # the last sync that succeeded (the copy matched the remote then)
    last_attempt: float = 0.0
    last_error: str = ""  # scrubbed of secrets before it gets here
    commit: str = ""  # of the copy shown
    files: int = 0
    subdir: str = ""  # the repository folder the copy shown was written from


class SourceCache:
    """The on-disk copy of one source."""

    def __init__(self, name: str, root: Path | None = None) -> None:
        self.name = name
        self.dir = (root or sources_root()) / name
        self.git_dir = self.dir / "git"
        self.snapshots = self.dir / "snapshots"
        self.current_link = self.dir / "current"
        self.status_file = self.dir / "status.json"

    # -- what is shown -----------------------------------------------------
    def current(self) -> Path | None:
        """The folder of the snapshot shown now, or None before the first sync."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        path = (self.dir / target).resolve()
        return path if path.is_dir() and path.parent == self.snapshots.resolve() else None

    def current_commit(self) -> str:
        current = self.current()
        return current.name.split(".")[0] if current else ""

    def status(self) -> SyncStatus:
        try:
            raw = json.loads(self.status_file.read_text(encoding="utf-8"))
            status = SyncStatus(**{k: v for k, v in raw.items() if k in SyncStatus.__annotations__})
        except (OSError, ValueError, TypeError):
            status = SyncStatus()
        # The link is the truth about what is shown; the status file may lag a kill.
        status.commit = self.current_commit()
        if status.commit and not status.last_sync:
            current = self.current()
            status.last_sync = current.stat().st_mtime if current else 0.0
        return status

    def record(self, *, synced: bool, error: str = "", files: int | None = None,
               subdir: str | None = None) -> SyncStatus:
        status = self.status()
        status.last_attempt = time.time()
        status.last_error = error
        if synced:
            status.last_sync = status.last_attempt
        if files is not None:
            status.files = files
        if subdir is not None:
            status.subdir = subdir
        with contextlib.suppress(OSError):  # a full disk: shown from memory this time
            write_atomically(self.status_file, json.dumps(asdict(status), indent=2))
        return status

    # -- building a new snapshot ---------------------------------------------
    def begin(self) -> Path:
        """An empty folder to write the next snapshot into."""
        self.snapshots.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=BUILDING_PREFIX, dir=self.snapshots))

    def publish(self, building: Path, commit: str) -> Path:
        """Make ``building`` the snapshot shown, atomically; returns its final folder."""
        final = self.snapshots / f"{commit}.{time.time_ns():x}"
        os.rename(building, final)
        if hasattr(os, "sync"):
            os.sync()  # the files reach the disk before the link that shows them does
        link_tmp = self.dir / f".current.{os.getpid()}"
        link_tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(final, self.dir), link_tmp)
        os.replace(link_tmp, self.current_link)
        # The old copy is no longer shown: deleting its files need not hold up the sync.
        cleaner = threading.Thread(target=self.clean, name=f"clean {self.name}")
        with _cleaners_lock:
            _cleaners.append(cleaner)
        cleaner.start()
        return final

    def clean(self) -> None:
        """Remove every snapshot but the current one (unfinished ones included).

        A snapshot another process is building right now carries a fresh
        ``.building-`` name and is left alone for an hour.
        """
        current = self.current()
        try:
            entries = list(self.snapshots.iterdir())
        except OSError:
            return
        for entry in entries:
            if current is not None and entry.resolve() == current:
                continue
            if entry.name.startswith(BUILDING_PREFIX) and _younger_than(entry, 3600):
                continue
            shutil.rmtree(entry, ignore_errors=True)

    def discard_partial(self) -> None:
        """Remove every unfinished copy; only the holder of the source's lock may call this."""
        try:
            entries = list(self.snapshots.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(BUILDING_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)

    def discard(self, building: Path) -> None:
        shutil.rmtree(building, ignore_errors=True)

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _younger_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False


def describe_copy(status: SyncStatus, now: float | None = None) -> str:
    """``"copy from 14:02, commit 1a2b3c4"`` (with the day when it is not today)."""
    if not status.commit:
        return "no copy yet"
    now = time.time() if now is None else now
    when = time.localtime(status.last_sync)
    same_day = time.strftime("%Y%m%d", when) == time.strftime("%Y%m%d", time.localtime(now))
    stamp = time.strftime("%H:%M" if same_day else "%d %b %H:%M", when)
    return f"copy from {stamp}, commit {status.commit[:7]}"


def describe_age(seconds: float) -> str:
    """``"5 min"``, ``"3 h"``, ``"2 days"``: how old a copy is, roughly."""
    minutes = max(0, int(seconds // 60))
    if minutes < 1:
        return "under 1 min"
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"
