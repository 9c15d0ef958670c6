"""Pinned runbooks: the handful each engineer opens every shift, kept safe across crashes.

Pins live in SQLite (WAL, synchronous FULL) in the user's data folder: each
change is one transaction, so a process killed at any moment leaves the
previous list or the new one, never a mix. A file that is not a database
is moved aside and the user told; the app carries on with no pins rather
than failing to start.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from viewer.locations import data_dir

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
        except sqlite3.DatabaseError as err:
            aside = self.path.with_name(self.path.name + ".corrupt")
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    os.replace(source, Path(f"{aside}{suffix}"))
            self.problem = (f"Your pins could not be read ({err}); the damaged file was moved "
                            f"to {aside}. Pin your runbooks again.")
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a pin must survive a power cut
        conn.executescript(_SCHEMA)
        conn.execute("SELECT count(*) FROM pins").fetchone()  # fail now if the file is bad
        return conn

    def close(self) -> None:
        self._conn.close()

    def pins(self, library: Path | str) -> list[Pin]:
        rows = self._conn.execute(
            "SELECT path, anchor, label FROM pins WHERE library = ? ORDER BY position, rowid",
            (str(library),))
        return [Pin(path, anchor, label) for path, anchor, label in rows]

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

    def remove(self, library: Path | str, path: str, anchor: str = "") -> bool:
        with _transaction(self._conn):
            cursor = self._conn.execute(
                "DELETE FROM pins WHERE library = ? AND path = ? AND anchor = ?",
                (str(library), path, anchor))
        return cursor.rowcount == 1

    def reorder(self, library: Path | str, targets: list[str]) -> None:
        """Put the library's pins in the order of ``targets`` ("path#anchor"), in one step."""
        with _transaction(self._conn) as conn:
            for position, target in enumerate(targets, 1):
                path, anchor = split_target(target)
                conn.execute("UPDATE pins SET position = ? WHERE library = ? AND path = ? "
                             "AND anchor = ?", (position, str(library), path, anchor))

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

    def kept_copy(self, library: Path | str, path: str) -> tuple[str, int] | None:
        """(text, when saved in ns since the epoch) of a pinned runbook's last copy."""
        row = self._conn.execute(
            "SELECT text, saved_ns FROM copies WHERE library = ? AND path = ?",
            (str(library), path)).fetchone()
        return (row[0], row[1]) if row else None

    def set_label(self, library: Path | str, path: str, anchor: str, label: str) -> bool:
        """Rename a pin as the user sees it ("" goes back to the page's own name)."""
        with _transaction(self._conn):
            cursor = self._conn.execute(
                "UPDATE pins SET label = ? WHERE library = ? AND path = ? AND anchor = ?",
                (label.strip(), str(library), path, anchor))
        return cursor.rowcount == 1

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
