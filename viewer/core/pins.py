"""Pinned runbooks: the handful each engineer opens every shift, kept safe across crashes.

Pins live in SQLite (WAL, synchronous FULL) in the user's data folder: each
change is one transaction, so a process killed at any moment leaves the
previous list or the new one, never a mix. A damaged file (not a database,
corrupt pages found when opening or at any later read, text that is not
UTF-8) is moved aside, the pins and kept copies that can still be read
from it are carried into a fresh file, and the user is told; the app never
fails to start over it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from viewer.core.relocation import Relocation
from viewer.core.sqlite_faults import is_damage
from viewer.locations import data_dir

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pins(
    library TEXT NOT NULL,     -- the library root the path is relative to
    path TEXT NOT NULL,        -- '/'-separated, as search --json prints it
    anchor TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    position REAL NOT NULL,
    PRIMARY KEY (library, path, anchor)
);
CREATE TABLE IF NOT EXISTS copies(  -- the last text seen of each pinned runbook
    library TEXT NOT NULL,
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_ns INTEGER NOT NULL,
    PRIMARY KEY (library, path)
);
"""


@dataclass(frozen=True)
class Pin:
    path: str
    anchor: str = ""
    label: str = ""

    @property
    def target(self) -> str:
        return f"{self.path}#{self.anchor}" if self.anchor else self.path


def pin_label(title: str, section: str = "") -> str:
    """What a pin shows: the runbook's title, and the section when it is another one."""
    return title + (f" › {section}" if section and section != title else "")


def split_target(text: str) -> tuple[str, str]:
    """``"db/pool.md#step-1"`` -> ("db/pool.md", "step-1")."""
    path, _, anchor = text.strip().partition("#")
    return path.strip().strip("/"), anchor.strip()


def _salvage(damaged: Path, into: sqlite3.Connection) -> tuple[int, int]:
    """Copy every pin and kept copy that can still be read from ``damaged``; (pins, copies)."""
    counts = []
    for table, columns in (("pins", "library, path, anchor, label, position"),
                           ("copies", "library, path, text, saved_ns")):
        copied = 0
        try:
            source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True, timeout=1)
        except sqlite3.Error:
            return 0, 0
        try:
            # One row at a time: a damaged page stops the copy there, not the whole salvage.
            for row in source.execute(f"SELECT {columns} FROM {table}"):
                with contextlib.suppress(sqlite3.Error):
                    into.execute(f"INSERT OR IGNORE INTO {table}({columns}) VALUES "
                                 f"({', '.join('?' * len(row))})", row)
                    copied += 1
        except (sqlite3.Error, UnicodeDecodeError, ValueError):
            pass
        finally:
            source.close()
        counts.append(copied)
    return counts[0], counts[1]


def _recovering(method: Callable[..., T]) -> Callable[..., T]:
    """Run a PinStore method; on damage, set the file aside, carry over what reads, retry once."""
    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            if not is_damage(err):
                raise
            self._recover(err)
            return method(self, *args, **kwargs)
    return run


class PinStore:
    """The pin list of every library, in one small database."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "state.sqlite3"
        self.problem = ""  # a message for the user when the file had to be set aside
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            if not is_damage(err):
                raise
            return self._set_aside(err)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a pin must survive a power cut
            conn.executescript(_SCHEMA)
            # A few pages: reading them all now finds damage a later read would hit.
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {verdict}")
            conn.execute("SELECT count(*) FROM pins").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, err: BaseException) -> sqlite3.Connection:
        """Move the damaged file aside, start afresh, and carry over what can still be read."""
        aside = self.path.with_name(self.path.name + ".corrupt")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{aside}{suffix}"))
        conn = self._connect()
        pins, copies = _salvage(aside, conn)
        kept = f" {pins} pin{'s' if pins != 1 else ''} and {copies} kept cop" \
            f"{'ies' if copies != 1 else 'y'} could be carried over." if pins or copies else \
            " Nothing in it could be read: pin your runbooks again."
        self.problem = (f"Your pins file was damaged ({type(err).__name__}); it was moved to "
                        f"{aside}.{kept}")
        return conn

    def _recover(self, err: BaseException) -> None:
        """Damage found after opening: the same as at opening, then the call is retried."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._conn = self._set_aside(err)

    def close(self) -> None:
        self._conn.close()

    @_recovering
    def pins(self, library: Path | str) -> list[Pin]:
        rows = self._conn.execute(
            "SELECT path, anchor, label FROM pins WHERE library = ? ORDER BY position, rowid",
            (str(library),))
        return [Pin(path, anchor, label) for path, anchor, label in rows]

    @_recovering
    def add(self, library: Path | str, pin: Pin) -> bool:
        """Pin at the end of the list; False when it was pinned already."""
        with _transaction(self._conn):
            last = self._conn.execute("SELECT max(position) FROM pins WHERE library = ?",
                                      (str(library),)).fetchone()[0]
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO pins(library, path, anchor, label, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (str(library), pin.path, pin.anchor, pin.label, (last or 0) + 1))
        return cursor.rowcount == 1

    @_recovering
    def remove(self, library: Path | str, path: str, anchor: str = "") -> bool:
        with _transaction(self._conn):
            cursor = self._conn.execute(
                "DELETE FROM pins WHERE library = ? AND path = ? AND anchor = ?",
                (str(library), path, anchor))
        return cursor.rowcount == 1

    @_recovering
    def reorder(self, library: Path | str, targets: list[str]) -> None:
        """Put the library's pins in the order of ``targets`` ("path#anchor"), in one step."""
        with _transaction(self._conn) as conn:
            for position, target in enumerate(targets, 1):
                path, anchor = split_target(target)
                conn.execute("UPDATE pins SET position = ? WHERE library = ? AND path = ? "
                             "AND anchor = ?", (position, str(library), path, anchor))

    @_recovering
    def keep_copy(self, library: Path | str, path: str, text: str) -> None:
        """Remember the text of a pinned runbook, so it stays readable if the file goes.

        Called each time a pinned runbook is shown; the same text again writes
        nothing, so reading it does not cost a synchronous write to disk.
        """
        self._conn.execute(
            "INSERT INTO copies(library, path, text, saved_ns) SELECT ?1, ?2, ?3, ?4 "
            "WHERE EXISTS (SELECT 1 FROM pins WHERE library = ?1 AND path = ?2) "
            "ON CONFLICT(library, path) DO UPDATE SET text = excluded.text, "
            "saved_ns = excluded.saved_ns WHERE copies.text != excluded.text",
            (str(library), path, text, time.time_ns()))

    @_recovering
    def kept_copy(self, library: Path | str, path: str) -> tuple[str, int] | None:
        """(text, when saved in ns since the epoch) of a pinned runbook's last copy."""
        row = self._conn.execute(
            "SELECT text, saved_ns FROM copies WHERE library = ? AND path = ?",
            (str(library), path)).fetchone()
        return (row[0], row[1]) if row else None

    @_recovering
    def set_label(self, library: Path | str, path: str, anchor: str, label: str) -> bool:
        """Rename a pin as the user sees it ("" goes back to the page's own name)."""
        with _transaction(self._conn):
            cursor = self._conn.execute(
                "UPDATE pins SET label = ? WHERE library = ? AND path = ? AND anchor = ?",
                (label.strip(), str(library), path, anchor))
        return cursor.rowcount == 1

    @_recovering
    def move(self, library: Path | str, old_path: str, new_path: str) -> int:
        """Point the pins (and kept copy) of ``old_path`` at ``new_path``: a renamed runbook.

        Returns how many pins moved. A pin that already exists at the new
        place wins over the one that moved there.
        """
        with _transaction(self._conn) as conn:
            cursor = conn.execute(
                "UPDATE OR IGNORE pins SET path = ? WHERE library = ? AND path = ?",
                (new_path, str(library), old_path))
            conn.execute("DELETE FROM pins WHERE library = ? AND path = ?",
                         (str(library), old_path))
            conn.execute("UPDATE OR IGNORE copies SET path = ? WHERE library = ? AND path = ?",
                         (new_path, str(library), old_path))
        return cursor.rowcount

    @_recovering
    def relocate(self, move: Relocation) -> int:
        """Pins (and kept copies) follow their runbooks into another library; how many moved."""
        moved = 0
        with _transaction(self._conn) as conn:
            rows = conn.execute("SELECT path, anchor, label, position FROM pins "
                                "WHERE library = ?", (move.old_root,)).fetchall()
            for path, anchor, label, position in rows:
                new = move.moved(path)
                if new is None:
                    continue
                conn.execute("INSERT OR IGNORE INTO pins(library, path, anchor, label, position) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (move.new_root, new, anchor, label, position))
                conn.execute("DELETE FROM pins WHERE library = ? AND path = ? AND anchor = ?",
                             (move.old_root, path, anchor))
                moved += 1
            for path, text, saved in conn.execute(
                    "SELECT path, text, saved_ns FROM copies WHERE library = ?",
                    (move.old_root,)).fetchall():
                new = move.moved(path)
                if new is not None:
                    conn.execute("INSERT OR REPLACE INTO copies(library, path, text, saved_ns) "
                                 "VALUES (?, ?, ?, ?)", (move.new_root, new, text, saved))
                    conn.execute("DELETE FROM copies WHERE library = ? AND path = ?",
                                 (move.old_root, path))
        return moved

    @_recovering
    def is_pinned(self, library: Path | str, path: str) -> bool:
        return self._conn.execute("SELECT 1 FROM pins WHERE library = ? AND path = ? LIMIT 1",
                                  (str(library), path)).fetchone() is not None


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, traceback) -> None:  # type: ignore[no-untyped-def]
        self.conn.execute("ROLLBACK" if kind else "COMMIT")
