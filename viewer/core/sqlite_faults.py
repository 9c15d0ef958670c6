"""Telling apart what can go wrong with an SQLite file: busy, full disk, or damaged.

The index and the pins both keep their data in SQLite. A file another
process holds is waited for; a full disk is reported and its partial
writes removed; a damaged file (corrupt pages, text that is not UTF-8, a
schema that is not ours) is moved aside and started afresh.
"""

from __future__ import annotations

import sqlite3


def is_busy(err: BaseException) -> bool:
    """Another process holds the database: wait, never rebuild."""
    text = str(err).lower()
    return isinstance(err, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def is_disk_full(err: BaseException) -> bool:
    text = str(err).lower()
    return isinstance(err, sqlite3.OperationalError) and (
        "disk is full" in text or "database or disk is full" in text)


def is_damage(err: BaseException) -> bool:
    """A database that cannot be read as written: corrupt pages, bytes that are not UTF-8,
    a schema that is not ours. Moving the file aside is the only way on."""
    if isinstance(err, UnicodeDecodeError):
        return True
    if not isinstance(err, sqlite3.DatabaseError) or is_busy(err) or is_disk_full(err):
        return False
    return "interrupt" not in str(err).lower()
