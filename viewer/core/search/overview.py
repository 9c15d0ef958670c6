"""The symptom sidebar's overview: every distinct symptom, worked out once per change.

The sidebar's first two levels come from one aggregate over every symptom
row of the library: 785,000 rows and 1.3-1.5 s at 50,000 runbooks, and it
was worked out at every start. The index counts its changes (each stored
or removed runbook, in the same transaction), and the overview, once
worked out, is kept with the count it stands for; a start with nothing
changed reads it back in milliseconds. After a change it is worked out
(and kept) again by the next reader.
"""

from __future__ import annotations

import json
import sqlite3

from viewer.core.triage.store import OTHER, SymptomRow

_CHANGES = "changes"  # meta key: stores and removals so far
_KEPT = "symptom_overview"  # meta key: the rows, as JSON
_KEPT_AT = "symptom_overview_changes"  # meta key: the change count they stand for


def note_changes(conn: sqlite3.Connection) -> None:
    """Count a change to the indexed runbooks (inside the transaction that makes it)."""
    conn.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
                 "SET value = CAST(value AS INTEGER) + 1", (_CHANGES,))


def _changes(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_CHANGES,)).fetchone()
    return int(row[0]) if row else 0


def worked_out(conn: sqlite3.Connection) -> list[SymptomRow]:
    """Every distinct symptom: its words, label, category, scenario count, alert names and
    the folders (components) of the runbooks that list it."""
    rows = conn.execute(
        "SELECT s.key, min(s.text), min(s.label), min(s.category), max(s.category), "
        "count(*), group_concat(DISTINCT s.alert), group_concat(DISTINCT f.folder) "
        "FROM symptoms s JOIN files f ON f.id = s.file_id GROUP BY s.key")
    from viewer.core.triage.alerts import shared_label  # here: a search never needs it

    found = []
    for key, text, label, first, last, count, alerts, folders in rows:
        names = tuple(a for a in (alerts or "").split(",") if a)
        # A label names one alert: shared by several, it would name one of them at random.
        shown = shared_label(text) if len(names) > 1 else label
        category = first if first == last else _most_given(conn, key)
        found.append(SymptomRow(key, text, shown, category, count, names,
                                tuple((folders or "").split(","))))
    return found


def _most_given(conn: sqlite3.Connection, key: str) -> str:
    """The category most of a symptom's scenarios give it, when they differ; Other only when
    all give Other (one finding among eight whose name says nothing, "Impact:EC2/PortSweep",
    kept a playbook's findings under Other). Asked only for the few symptoms whose scenarios
    disagree: counted for every symptom, it added a fifth to the time the sidebar takes to
    fill at 50,000 runbooks."""
    counted = conn.execute(
        "SELECT category, count(*) AS n FROM symptoms WHERE key = ? AND category != ? "
        "GROUP BY category ORDER BY n DESC, category LIMIT 1", (key, OTHER)).fetchone()
    return counted[0] if counted else OTHER


def is_kept(conn: sqlite3.Connection) -> bool:
    """Whether an overview is kept and nothing changed since it was worked out."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_KEPT_AT,)).fetchone()
    return row is not None and row[0] == str(_changes(conn))


def kept(conn: sqlite3.Connection) -> list[SymptomRow] | None:
    """The overview as kept, if nothing changed since; None otherwise."""
    if not is_kept(conn):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_KEPT,)).fetchone()
    try:
        return [SymptomRow(key, text, label, category, count, tuple(alerts), tuple(folders))
                for key, text, label, category, count, alerts, folders in json.loads(row[0])]
    except (ValueError, TypeError):  # missing, or written by another version: worked out
        return None


def worked_out_and_kept(conn: sqlite3.Connection) -> list[SymptomRow]:
    """Work the overview out, and keep it with the change count it stands for when the
    database is free to write this moment (a reader never waits for the index's writer)."""
    # The count first: a change committed in between makes the kept overview look older
    # than it is (worked out again), never newer.
    changes = _changes(conn)
    rows = worked_out(conn)
    waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        with conn:
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [
                (_KEPT, json.dumps(rows, ensure_ascii=False, separators=(",", ":"))),
                (_KEPT_AT, str(changes))])
    except sqlite3.OperationalError:  # being written (or full): the next reader keeps it
        pass
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return rows
