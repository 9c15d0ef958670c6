"""How many runbooks hold each word: the count FTS5 does not keep.

BM25 gives no weight to a word that more than half the library holds, so a
query matching most runbooks is ranked another way (see
``SearchIndex._rank``). Telling the two apart used to take an FTS5 count of
the query's matches first, a full pass over the words' lists: up to 1.7 ms,
a third of a search. Like a search engine's term dictionary (Lucene's
docFreq), the ``vocabulary`` table keeps each word's number of runbooks, so
the decision is a lookup per word in nearly every search.

Words are found and folded the way FTS5's unicode61 tokenizer (with
``remove_diacritics 2``) finds and folds them: letters and digits, lower
case, accents dropped. Where Python's folding differs from SQLite's (a few
rare letters), a count is off; that can only choose the slower way to rank,
never change which runbooks match.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

SCHEMA = """
CREATE TABLE vocabulary(  -- how many runbooks hold each (folded) word
    word TEXT PRIMARY KEY,
    runbooks INTEGER NOT NULL
) WITHOUT ROWID;
"""
_MIN_PREFIX = 3  # a shorter prefix spans too much of the vocabulary to add up quickly
_LAST = "\U0010ffff"  # sorts after every other character (and so does its UTF-8)

_WORD = re.compile(r"[^\W_]+")  # what unicode61 counts as a token: letters and digits


def words_of(*texts: str) -> list[str]:
    """The words of ``texts`` as FTS5 will index them, before folding, in order."""
    return [word for text in texts for word in _WORD.findall(text)]


def fold(word: str) -> str:
    """``word`` as unicode61 stores it: lower case, without accents."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFD", lowered)
                   if not unicodedata.combining(ch))


def distinct_words(words: Iterable[str]) -> set[str]:
    """The folded words of one runbook, each once."""
    return {fold(word) for word in set(words)}


def record_changes(conn: sqlite3.Connection, changes: Counter[str]) -> None:
    """Add each word's change in runbooks (negative for runbooks removed) to the table."""
    if not changes:
        return
    conn.executemany(
        "INSERT INTO vocabulary(word, runbooks) VALUES (?, ?) "
        "ON CONFLICT(word) DO UPDATE SET runbooks = runbooks + excluded.runbooks",
        [(word, change) for word, change in changes.items() if change])
    conn.executemany("DELETE FROM vocabulary WHERE word = ? AND runbooks <= 0",
                     [(word,) for word, change in changes.items() if change < 0])


def matching_bounds(conn: sqlite3.Connection, words: Sequence[tuple[str, bool]],
                    whole: bool) -> tuple[int, int | None]:
    """(at least, at most) how many runbooks hold every one of ``words``.

    ``words`` are (word, is a prefix) pairs, all of which a query needs;
    ``whole`` says they are all it asks for (no phrase order, no word left
    out), without which nothing but 0 is a lower bound. The upper bound is
    None when it cannot be looked up cheaply.
    """
    exact = {fold(word) for word, prefix in words if not prefix} - {""}
    prefixes = {key for word, prefix in words if prefix and len(key := fold(word)) >= _MIN_PREFIX}
    if not exact and not prefixes:
        return 0, None
    # Counts of the whole words in one statement; a prefix adds up its range.
    counts = dict.fromkeys(exact, 0)
    if exact:
        marks = ", ".join("?" * len(exact))
        counts.update(conn.execute(
            f"SELECT word, runbooks FROM vocabulary WHERE word IN ({marks})", tuple(exact)))
    most = 0
    for key in prefixes:
        total, most = conn.execute(
            "SELECT total(runbooks), coalesce(max(runbooks), 0) FROM vocabulary "
            "WHERE word >= ? AND word <= ?", (key, key + _LAST)).fetchone()
        counts[key] = int(total)
    upper = min(counts.values())
    if whole and len(words) == 1:
        return (most if prefixes else upper), upper
    return 0, upper
