"""The index's table of reST and MyST labels: stored with each runbook, looked up for
``:ref:`` and MyST's references.

Sphinx resolves ``:ref:`label``` across every document of a project, so a
reST page needs the labels of the whole library. Reading them all costs a
read of every reST file: 7 s for the 12,600 reST files of a 50,000-runbook
library, at the first reST page of every session. The index reads each
file's labels when it indexes the file, and a page then looks up only the
names it refers to, one query each.

The table answers as the scan would (:class:`~viewer.core.rst_targets.LabelIndex`
merges files in path order, the first label of a name wins) and is used only
once the index has been complete: a library still being indexed for the
first time is scanned.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.core.library import markup_of
from viewer.core.rst_targets import LabelTarget, scan_labels

if TYPE_CHECKING:
    from viewer.core.library import Library

SCHEMA = """
CREATE TABLE rst_labels(  -- every reST label (.. _name:) and MyST target ((name)=)
    name TEXT NOT NULL,  -- normalized as docutils compares names
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    anchor TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX rst_labels_by_name ON rst_labels(name);
CREATE INDEX rst_labels_by_file ON rst_labels(file_id);
"""

LabelRow = tuple[str, str, str]  # (name, anchor, title)


def label_rows(text: str, rel_path: str) -> tuple[LabelRow, ...]:
    """The labels a reST file or a MyST Markdown page defines, as the index stores them."""
    if markup_of(rel_path) == "rst":
        found = scan_labels(text, rel_path)
    elif ")=" in text:
        from viewer.core.render.myst import myst_labels

        found = myst_labels(text, rel_path)
    else:
        return ()
    return tuple((name, target.anchor, target.title) for name, target in found.items())


def store_labels(conn: sqlite3.Connection, file_id: int, rows: tuple[LabelRow, ...]) -> None:
    conn.executemany("INSERT INTO rst_labels(name, file_id, anchor, title) VALUES (?, ?, ?, ?)",
                     [(name, file_id, anchor, title) for name, anchor, title in rows])


class StoredLabels:
    """The library's labels in the index, looked up one name at a time (``get``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._found: dict[str, LabelTarget | None] = {}

    def get(self, name: str, default: LabelTarget | None = None) -> LabelTarget | None:
        if name not in self._found:
            try:
                row = self._conn.execute(
                    "SELECT f.path, l.anchor, l.title FROM rst_labels l JOIN files f "
                    "ON f.id = l.file_id WHERE l.name = ? ORDER BY f.path LIMIT 1",
                    (name,)).fetchone()
            except sqlite3.Error:
                row = None  # the index went away mid-page: the link shows as unresolved
            self._found[name] = LabelTarget(*row) if row else None
        found = self._found[name]
        return found if found is not None else default


def stored_labels(db_path: Path, schema_version: int, *,
                  library: Library | None = None) -> StoredLabels | None:
    """The labels of the index at ``db_path``, or None where they cannot stand in for a scan.

    None when there is no index, it is of another schema, or it has never been
    complete (no library stamp recorded). With ``library``, also None unless
    the files on disk are exactly those the index last checked (a command run
    without the window watching the folder).
    """
    if not db_path.is_file():
        return None  # connecting would create an empty database where the index goes
    try:
        conn = sqlite3.connect(db_path, timeout=2, check_same_thread=False)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        row = conn.execute("SELECT value FROM meta WHERE key = 'disk_stamp'").fetchone()
    except sqlite3.Error:
        return None
    stamp = row[0] if row else ""
    if version != schema_version or not stamp:
        conn.close()
        return None
    if library is not None:
        from viewer.core.search.refresh import disk_stamp

        if disk_stamp(library.runbook_stats()) != stamp:
            conn.close()
            return None
    return StoredLabels(conn)
