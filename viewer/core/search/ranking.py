"""Answering a query from the index: rank runbooks with BM25, then land each on a section.

A search ranks runbooks with BM25 (title and heading matches weigh more
than body text), then finds the matches again in the top runbooks' text
and lands each on the section where they are densest. In a large library
the scoring is spread over several threads (see ``spread``). The functions take
an open connection; :class:`~viewer.core.search.index.SearchIndex` owns
the database and its recovery.
"""

from __future__ import annotations

import heapq
import sqlite3
from itertools import chain
from operator import itemgetter

from viewer.core.lazy_log import LazyLogger
from viewer.core.search import heads, vocabulary, word_pairs
from viewer.core.search.landing import front_matter_snippet, land
from viewer.core.search.length_bands import COLUMNS, bm25_weights
from viewer.core.search.meta_labels import unlabelled
from viewer.core.search.query import (
    Matcher,
    ParsedQuery,
    fts_expression,
    prefix_words,
    required_words,
    whole_phrase,
    words_expression,
)
from viewer.core.search.results import Hit, SearchFilters
from viewer.core.search.spread import RowidSpread

log = LazyLogger(__name__)

_WEIGHT_MARKS = ", ".join("?" * len(COLUMNS))


def filter_sql(filters: SearchFilters) -> tuple[list[str], list[str]]:
    where: list[str] = []
    params: list[str] = []
    if filters.folder:
        folder = filters.folder.strip("/")
        where.append("(f.folder = ? OR f.folder LIKE ? ESCAPE '\\')")
        params += [folder, _like_prefix(folder) + "/%"]
    if filters.tag:
        where.append("(' ' || f.tags || ' ') LIKE ? ESCAPE '\\'")
        params.append("% " + _like_prefix(filters.tag.lower()) + " %")
    if filters.severity:
        where.append("lower(f.severity) = lower(?)")
        params.append(filters.severity)
    return where, params


def listed(conn: sqlite3.Connection, filters: SearchFilters,
             limit: int) -> list[Hit]:
    where, params = filter_sql(filters)
    rows = conn.execute(
        "SELECT f.path, f.title, f.severity, f.tags FROM files f "
        f"WHERE f.problem = '' AND {' AND '.join(where) or '1'} ORDER BY f.path LIMIT ?",
        (*params, limit))
    return [Hit(path, title, None, "", "", 0.0, severity, tags.split())
            for path, title, severity, tags in rows]


def hits_for(conn: sqlite3.Connection, query: ParsedQuery,
            filters: SearchFilters, limit: int, typing: bool,
            spread: RowidSpread | None = None) -> list[Hit]:
    """The best ``limit`` hits; with ``spread``, a large library's matches are scored
    on several threads at once."""
    sole = vocabulary.sole_words(conn, prefix_words(query, typing=typing))
    expression = fts_expression(query, typing=typing, sole=sole)
    literals = query.literals
    try:
        ranked = _best_runbooks(conn, spread, expression, filters, limit, query, typing, sole)
    except sqlite3.OperationalError as err:
        if "fts5" in str(err) or "syntax" in str(err):
            log.warning("query %r was refused by FTS5: %s", expression, err)
            return []  # never the user's problem
        raise
    if not ranked:
        return []
    hits = _landed(conn, Matcher(query), ranked)
    if literals:
        # Punctuated terms matched as phrases of words; among the hits, an
        # exact occurrence of what was typed ("--replicas=20") ranks first.
        def exactness(hit: Hit) -> int:
            text = (hit.section_text or "").lower()
            return sum(literal in text for literal in literals)
        hits.sort(key=lambda hit: (-exactness(hit), -hit.score))
    return hits[:limit]


def _best_runbooks(conn: sqlite3.Connection, spread: RowidSpread | None, expression: str,
                   filters: SearchFilters, limit: int, query: ParsedQuery, typing: bool,
                   sole: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
    """(file id, bm25) of the best runbooks for ``expression``, best first.

    When the query matches more than half the library, FTS5's BM25 has
    nothing to go on (it clamps a word's IDF to ~0 once most runbooks
    hold it) and scoring every match would cost ~1.5 µs each for noise.
    Runbooks whose title or headings match then come first, ranked among
    themselves on the table of titles and headings (``heads``), and the
    rest follow in library order.

    Not so for a phrase alone (``"cache miss rate"``, ``pg_stat_activity``):
    its IDF scales every score alike, so BM25 still orders its matches
    by where and how often it occurs, and matching the phrase over the
    whole index costs more than scoring them. It is ranked directly,
    without looking up how many runbooks its words are in, and on the
    table of word pairs when it is matched word for word.
    """
    documents, tokens, pairs, heads_tokens = conn.execute(
        "SELECT runbooks, tokens, pairs, heads FROM lengths").fetchone()
    scored = _Scorer(conn, spread, documents)
    runbooks = max(documents, 1)
    average = tokens / runbooks
    table, weights = "docs_fts", bm25_weights(average)
    phrase = whole_phrase(query, typing=typing)
    words = vocabulary.fts_tokens(conn, phrase) if phrase else []
    if len(words) > 1:
        table, weights = word_pairs.TABLE, bm25_weights(average, pairs / runbooks)
        expression = word_pairs.phrase_expression(words)
    elif not query.one_phrase and _matches_most(conn, expression, query, typing, sole,
                                                documents):
        focused = scored.rows(heads.TABLE, expression, filters, limit,
                              bm25_weights(average, heads_tokens / runbooks))
        if len(focused) >= limit:
            return focused
        seen = {file_id for file_id, _ in focused}
        rest = scored.rows(table, expression, filters, limit + len(seen), None)
        return focused + [(file_id, 0.0) for file_id, _ in rest
                          if file_id not in seen][:limit - len(focused)]
    return scored.rows(table, expression, filters, limit, weights)


class _Scorer:
    """Reads a table's best matches, on one connection or spread over file-id ranges."""

    def __init__(self, conn: sqlite3.Connection, spread: RowidSpread | None,
                 runbooks: int) -> None:
        self.conn = conn
        self._spread = spread
        self._ranges = spread.ranges(conn, runbooks) if spread is not None else []

    def rows(self, table: str, expression: str, filters: SearchFilters, limit: int,
             weights: tuple[float, ...] | None) -> list[tuple[int, float]]:
        """(rowid, bm25) of ``table``'s first matches: best first (ties in library
        order), or in library order (and a score of 0) without ``weights``."""
        where, params = filter_sql(filters)
        # The join is paid for every matching row before the sort: only when filtering.
        source = f"{table} JOIN files f ON f.id = {table}.rowid" if where else table
        joined = " AND ".join((f"{table} MATCH ?", *where))
        if weights is None:
            return self.conn.execute(f"SELECT {table}.rowid, 0.0 FROM {source} WHERE {joined} "
                                     "LIMIT ?", (expression, *params, limit)).fetchall()
        ranked = (f"SELECT {table}.rowid, bm25({table}, {_WEIGHT_MARKS}) AS rank "
                  f"FROM {source} WHERE {joined}")
        if self._spread is None or not self._ranges:
            return self.conn.execute(f"{ranked} ORDER BY rank, {table}.rowid LIMIT ?",
                                     (*weights, expression, *params, limit)).fetchall()
        in_range = (f"{ranked} AND {table}.rowid BETWEEN ? AND ? "
                    f"ORDER BY rank, {table}.rowid LIMIT ?")

        def best_in(conn: sqlite3.Connection, low: int, high: int) -> list[tuple[int, float]]:
            return conn.execute(in_range, (*weights, expression, *params, low, high,
                                           limit)).fetchall()

        parts = self._spread.read(self.conn, best_in, self._ranges)
        return heapq.nsmallest(limit, chain.from_iterable(parts), key=itemgetter(1, 0))


def _landed(conn: sqlite3.Connection, matcher: Matcher,
          ranked: list[tuple[int, float]]) -> list[Hit]:
    """For each ranked runbook, the section its matches point to, and a snippet there.

    The matches are found again in the few runbooks shown, in Python: a
    second FTS5 MATCH (for ``highlight()``) would cost as much as the
    ranking itself.
    """
    ids = [file_id for file_id, _ in ranked]
    found = {row[0]: row[1:] for row in conn.execute(
        "SELECT f.id, f.path, f.title, f.severity, f.tags, f.section_edges, "
        "f.section_labels, c.text, c.meta FROM files f LEFT JOIN contents c ON c.id = f.id "
        f"WHERE f.id IN ({', '.join('?' * len(ids))})", ids)}
    hits: list[Hit] = []
    for file_id, rank in ranked:
        if file_id not in found:
            continue
        path, title, severity, tags, edges, labels, text, meta = found[file_id]
        text = text or ""
        matches = matcher.find(text)
        # Found by its front matter alone: show the value that matched, and
        # open at the top, where the page's summary shows it.
        front = (front_matter_snippet(meta, matcher.find(unlabelled(meta)))
                 if meta and not any(matches.starts) else "")
        anchor, heading, snippet, section_text = (
            ("", "", front, "") if front else land(text, matches, edges, labels))
        hits.append(Hit(path, title, anchor or None, heading, snippet, round(-rank, 4),
                        severity, tags.split(), section_text))
    return hits


def _matches_most(conn: sqlite3.Connection, expression: str, query: ParsedQuery,
                  typing: bool, sole: frozenset[str], documents: int) -> bool:
    """Whether ``expression`` matches more than half of the library's ``documents``.

    The vocabulary's counts of the words the query needs nearly always
    tell; only when they cannot are the matches counted.
    """
    lower, upper = vocabulary.matching_bounds(
        conn, required_words(query, typing=typing, sole=sole),
        whole=not any(term.negated for term in query.terms))
    if upper is not None and upper * 2 <= documents:
        return False
    if lower * 2 > documents:
        return True

    def count(matched: str) -> int:
        return conn.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?",
                            (matched,)).fetchone()[0]

    # Counting the words without their positions is cheaper than counting a
    # phrase, and bounds it: the exact count is needed only above the bound.
    words = words_expression(query, typing=typing, sole=sole)
    matching = count(words or expression)
    if matching * 2 > documents and words and words != expression:
        matching = count(expression)
    return matching * 2 > documents


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
