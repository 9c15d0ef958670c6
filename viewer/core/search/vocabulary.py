"""How many runbooks hold each word: the count FTS5 does not keep.

BM25 gives no weight to a word that more than half the library holds, so a
query matching most runbooks is ranked another way (see
``SearchIndex._rank``). Telling the two apart used to take an FTS5 count of
the query's matches first, a full pass over the words' lists: up to 1.7 ms,
a third of a search. Like a search engine's term dictionary (Lucene's
docFreq), the ``vocabulary`` table keeps each word's number of runbooks, so
the decision is a lookup per word in nearly every search.

The words are FTS5's own. ASCII text splits and folds one way only
(letters and digits, lower case), so it is read here; the rare stretches
with other characters are handed to SQLite's unicode61 tokenizer itself,
whose folding Python's only nearly matches (``µ``, ``İ``). That exactness
lets a search ask for a word instead of a prefix when the vocabulary shows
the prefix begins no other word (``sole_words``).

A query's words are folded here, in Python: where that differs from
SQLite, a bound is off, which can only choose the slower way to rank.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from viewer.core.cjk import is_cjk_letter, spaced

SCHEMA = """
CREATE TABLE vocabulary(  -- how many runbooks hold each (folded) word
    word TEXT PRIMARY KEY,
    runbooks INTEGER NOT NULL
) WITHOUT ROWID;
"""
TOKENIZER = "unicode61 remove_diacritics 2"  # the index's, and the scratch table's below
# A shorter word is never taken as a prefix (it would begin half the vocabulary),
# nor a shorter prefix added up here (too slow).
MIN_PREFIX = 3
_LAST = "\U0010ffff"  # sorts after every other character (and so does its UTF-8)

_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def fts_tokens(conn: sqlite3.Connection, text: str) -> list[str]:
    """The words FTS5 indexes for ``text``, in order, exactly as it stores them.

    They give the vocabulary its words, a runbook its length and the
    word-pairs table its pairs, so all three agree with FTS5 to the word.
    """
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    text = spaced(text)  # a Chinese or Japanese character is a word (see cjk.py)
    # Every tokenizer splits at ASCII punctuation and spaces, so each
    # stretch between them is one word if it is ASCII, and SQLite's to
    # split and fold if it is not.
    stretches = _ASCII_SEPARATORS.split(text)
    # A Chinese character is its own word: only the other stretches need SQLite (a page of
    # Chinese put a million one-character rows through the scratch table: 18 s, 490 MB).
    unsure = {i: stretch for i, stretch in enumerate(stretches)
              if not stretch.isascii() and not is_cjk_letter(stretch)}
    split = _sqlite_tokens(conn, unsure)
    found: list[str] = []
    for i, stretch in enumerate(stretches):
        if i in unsure:
            found += split.get(i, ())
        elif stretch:
            found.append(stretch.lower())
    return found


def _sqlite_tokens(conn: sqlite3.Connection, stretches: dict[int, str]) -> dict[int, list[str]]:
    """The words unicode61 makes of each stretch: indexed in a scratch table and read back."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.token_scratch "
                 f"USING fts5(text, tokenize = '{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.token_scratch_instances "
                 "USING fts5vocab(temp, token_scratch, instance)")
    # Writing to the scratch table opens a transaction; one left open on a
    # reading connection would keep its searches on a snapshot of the index.
    opened_here = not conn.in_transaction
    conn.executemany("INSERT INTO temp.token_scratch(rowid, text) VALUES (?, ?)",
                     stretches.items())
    split: dict[int, list[str]] = {}
    try:
        for stretch, word in conn.execute("SELECT doc, term FROM temp.token_scratch_instances "
                                          "ORDER BY doc, offset"):
            split.setdefault(stretch, []).append(word)
        return split
    finally:
        conn.execute("DELETE FROM temp.token_scratch")
        if opened_here:
            conn.commit()


def fold(word: str) -> str:
    """``word`` nearly as unicode61 stores it: lower case, without accents (for queries)."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFD", lowered)
                   if not unicodedata.combining(ch))


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
    prefixes = {key for word, prefix in words if prefix and len(key := fold(word)) >= MIN_PREFIX}
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


def sole_words(conn: sqlite3.Connection, prefixes: Iterable[str]) -> frozenset[str]:
    """The ``prefixes`` that begin no word in the library but themselves.

    FTS5 merges every word a prefix begins into one list, positions and
    all, before it ranks anything: 2.3 ms of the 3.9 that ranking
    ``kubectl* rollout* restart*`` took at 5,000 runbooks. Where the word
    itself is the only one, asking for the word gives the same matches and
    the same scores. Only ASCII prefixes are looked up, as those are folded
    here exactly as SQLite folds them.
    """
    sole: set[str] = set()
    for prefix in set(prefixes):
        if not prefix or not prefix.isascii():
            continue
        key = prefix.lower()
        begun = conn.execute("SELECT word FROM vocabulary WHERE word >= ? AND word <= ? "
                             "LIMIT 2", (key, key + _LAST)).fetchall()
        if begun == [(key,)]:
            sole.add(key)
    return frozenset(sole)
