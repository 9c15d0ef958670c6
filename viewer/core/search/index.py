"""The search index: one SQLite database with FTS5 per library, in the user's cache.

It is only ever a cache of the runbooks on disk, so it heals itself rather
than asking the user anything: a database from an older schema, a file
that is not a database, or one that turns out corrupt in the middle of a
query is moved aside and rebuilt. A database another process keeps locked
is replaced by an in-memory one for this run.

Each runbook is one FTS5 row (title, headings, text, metadata, in the
columns of its length band: see ``length_bands``), one row of its word
pairs, for phrases (see ``word_pairs``), and one of its title and headings
alone, for queries most runbooks match (see ``heads``); what was indexed
is kept in ``contents``, and the sections are character ranges of its text. A
search ranks runbooks with BM25 (title and heading matches weigh more than
body text), then finds the matches again in the top runbooks' text and
lands each on the section where they are densest, a match in the
section's own heading counting most. Ranking one row per runbook rather
than one per section keeps a query for a word that is in every runbook
("kubectl") within a few milliseconds at 5,000 runbooks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.core.search import heads, vocabulary, word_pairs
from viewer.core.search.landing import encode_sections, front_matter_snippet, land
from viewer.core.search.length_bands import (
    COLUMNS,
    PAD_CHARACTER,
    PAD_COLUMN,
    band_of,
    bm25_weights,
    row_values,
)
from viewer.core.search.query import (
    Matcher,
    ParsedQuery,
    fts_expression,
    parse_query,
    prefix_words,
    required_words,
    whole_phrase,
    words_expression,
)
from viewer.core.search.results import MARK_END, MARK_START, Hit, SearchFilters
from viewer.core.search.sections import IndexedDocument, unlabelled
from viewer.core.sqlite_faults import is_busy, is_damage, is_disk_full
from viewer.core.triage.alerts import symptom_label
from viewer.core.triage.store import ScenarioRow, SymptomRow

log = logging.getLogger(__name__)

SCHEMA_VERSION = 18  # bump whenever what is indexed changes

_FTS_COLUMNS = ", ".join((*COLUMNS, PAD_COLUMN))


def _fts_table(name: str, *, prefix: bool) -> str:
    """One of the index's contentless FTS5 tables: the same banded columns and tokenizer
    (a pair is one token, so the pairs table needs no prefix index)."""
    prefixes = ",\n    prefix = '2 3'" if prefix else ""
    return (f"CREATE VIRTUAL TABLE {name} USING fts5(\n    {_FTS_COLUMNS},\n    content = '',\n"
            f"    columnsize = 0,\n    tokenize = '{vocabulary.TOKENIZER}'{prefixes}\n);")


_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL,
    title TEXT NOT NULL,
    markup TEXT NOT NULL,
    folder TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    -- Each section's character range in contents.text, and its anchor and
    -- heading: see landing.encode_sections. Read with the runbook, to place a hit.
    sections INTEGER NOT NULL DEFAULT 0,
    section_edges BLOB NOT NULL DEFAULT x'',
    section_labels TEXT NOT NULL DEFAULT ''
);
CREATE TABLE scenarios(  -- what the symptom sidebar lists, per runbook
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    title TEXT NOT NULL,
    anchor TEXT NOT NULL,
    severity TEXT NOT NULL,
    alert TEXT NOT NULL,
    symptoms TEXT NOT NULL,  -- JSON list, as written
    branches TEXT NOT NULL,  -- JSON list of [label, anchor]
    PRIMARY KEY (file_id, ordinal)
);
CREATE TABLE symptoms(  -- one row per symptom of a scenario, keyed for merging
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,  -- what the sidebar shows: short; the text is the tooltip
    category TEXT NOT NULL,
    alert TEXT NOT NULL  -- its scenario's alert name: the filter matches its words too
);
CREATE INDEX symptoms_by_key ON symptoms(key);
CREATE INDEX symptoms_by_file ON symptoms(file_id);
CREATE TABLE alert_names(  -- every name a scenario answers to (first heading, file name), lower
    name TEXT NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL
);
CREATE INDEX alert_names_by_name ON alert_names(name);
CREATE INDEX alert_names_by_file ON alert_names(file_id);
CREATE TABLE contents(  -- what docs_fts indexed per runbook: for snippets, and to unindex it
    id INTEGER PRIMARY KEY,
    band INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    pairs INTEGER NOT NULL,
    heads INTEGER NOT NULL,  -- tokens in the title and headings
    title TEXT NOT NULL,
    headings TEXT NOT NULL,
    meta TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE lengths(  -- for bm25's average length, kept current by the triggers below
    id INTEGER PRIMARY KEY CHECK (id = 0),
    runbooks INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    pairs INTEGER NOT NULL,
    heads INTEGER NOT NULL
);
INSERT INTO lengths VALUES (0, 0, 0, 0, 0);
CREATE TRIGGER contents_added AFTER INSERT ON contents BEGIN
    UPDATE lengths SET runbooks = runbooks + 1, tokens = tokens + new.tokens,
                       pairs = pairs + new.pairs, heads = heads + new.heads;
END;
CREATE TRIGGER contents_removed AFTER DELETE ON contents BEGIN
    UPDATE lengths SET runbooks = runbooks - 1, tokens = tokens - old.tokens,
                       pairs = pairs - old.pairs, heads = heads - old.heads;
END;
-- Contentless, without lengths: see length_bands.py for how BM25 still normalises.
{_fts_table("docs_fts", prefix=True)}
{_fts_table(word_pairs.TABLE, prefix=False)}
{_fts_table(heads.TABLE, prefix=True)}
{vocabulary.SCHEMA}
PRAGMA user_version = {SCHEMA_VERSION};
"""
_FTS_VALUES = ", ".join("?" * (len(COLUMNS) + 1))
_FTS_TABLES = ("docs_fts", word_pairs.TABLE, heads.TABLE)
_WEIGHT_MARKS = ", ".join("?" * len(COLUMNS))


class IndexUnavailable(Exception):
    """The index could not be read this time; it is being rebuilt."""


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class IndexedFile:
    """What a refresh hands the index for one file: its state and record (or problem)."""

    path: str
    state: FileState
    record: IndexedDocument | None
    problem: str = ""


@dataclass(frozen=True)
class DocumentSummary:
    path: str
    title: str
    severity: str
    tags: tuple[str, ...]


def index_path_for(cache_dir: Path, library_root: Path) -> Path:
    key = hashlib.sha1(str(library_root).encode("utf-8")).hexdigest()[:16]
    return cache_dir / "index" / f"{library_root.name or 'root'}-{key}.sqlite3"


class SearchIndex:
    """The index of one library. Safe to use from several threads (one connection each)."""

    def __init__(self, db_path: Path | None, library_root: Path | str = "") -> None:
        self.db_path = db_path
        self.library_root = str(library_root)
        self.rebuilt_because = ""  # why the last open started from an empty index
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.RLock()
        self._generation = 0
        self._memory_uri = ""
        if db_path is None:
            self._use_memory()
        self._conn()  # open (and heal) now, so problems show up at start

    # -- connections ----------------------------------------------------------------
    def _use_memory(self) -> None:
        self._memory_uri = f"file:runbook-index-{id(self)}?mode=memory&cache=shared"
        # A shared in-memory database lives while one connection is open.
        self._keepalive = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False)

    def _connect(self) -> sqlite3.Connection:
        if self._memory_uri:
            conn = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False,
                                   timeout=10)
        else:
            assert self.db_path is not None
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.db_path, check_same_thread=False, timeout=5)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        with self._lock:
            try:
                conn = self._open_checked()
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                log.warning("search index %s is locked; using a private in-memory index",
                            self.db_path)
                self._switch_to_memory()
                conn = self._open_checked()
                self.rebuilt_because = "the index file is in use by another program"
            self._connections.append(conn)
            self._local.conn = conn
            self._local.generation = self._generation
            return conn

    def _open_checked(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return conn
            conn.close()
            reason = (f"the index was made by another version (schema {version})"
                      if version else "there was no index yet")
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            if not is_damage(err):
                raise
            log.warning("search index %s is damaged (%s); rebuilding", self.db_path, err)
            reason = "the index file was damaged"
        self._discard(reason)
        conn = self._connect()
        conn.executescript(_SCHEMA)
        self._set_meta(conn, "library", self.library_root)
        return conn

    def _switch_to_memory(self) -> None:
        self._close_all()
        self._generation += 1
        self._use_memory()

    def _discard(self, reason: str) -> None:
        """Throw away the database file (it is a cache) so a fresh one can be built."""
        self.rebuilt_because = reason
        if self._memory_uri or self.db_path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)

    def _close_all(self) -> None:
        for conn in self._connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._connections.clear()

    def reset(self, reason: str) -> None:
        """Start again from an empty index (after corruption showed up mid-use)."""
        with self._lock:
            self._close_all()
            self._generation += 1
            self._discard(reason)
            if self._memory_uri:
                self._use_memory()
        self._conn()

    def out_of_space(self) -> None:
        """The disk filled up: remove the index file and its journal (they are only a cache,
        and they filled it), and keep an index in memory for this run instead."""
        with self._lock:
            self._close_all()
            self._generation += 1
            reason = "the disk is full, so this run's index is kept in memory"
            self._discard(reason)
            self._use_memory()
        self._conn()
        self.rebuilt_because = reason

    def close(self) -> None:
        with self._lock:
            self._close_all()
            self._generation += 1

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        conn.commit()

    def _guarded(self, fn, *args):  # type: ignore[no-untyped-def]
        """Run a read; a damaged database is reset and reported as IndexUnavailable."""
        try:
            return fn(self._conn(), *args)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            if is_busy(err):
                raise IndexUnavailable("the search index is busy; try again") from err
            if is_disk_full(err):
                self.out_of_space()
                raise IndexUnavailable("the disk is full; search is rebuilding in memory") \
                    from err
            if not is_damage(err):
                raise
            # Never the runbook text an error may quote: only that it happened.
            log.warning("search index %s failed a read (%s); rebuilding", self.db_path,
                        type(err).__name__)
            self.reset("the index file was damaged")
            raise IndexUnavailable("the search index was damaged and is being rebuilt") from err

    # -- writing ----------------------------------------------------------------------
    def file_states(self) -> dict[str, FileState]:
        def read(conn: sqlite3.Connection) -> dict[str, FileState]:
            rows = conn.execute("SELECT path, size, mtime_ns, digest FROM files")
            return {path: FileState(size, mtime, digest) for path, size, mtime, digest in rows}
        return self._guarded(read)

    def apply(self, files: Sequence[IndexedFile], removed: Iterable[str] = ()) -> None:
        """Store new or changed files and forget removed ones, in one transaction."""
        conn = self._conn()
        words: Counter[str] = Counter()  # each word's change in runbooks
        with conn:
            for path in removed:
                self._delete(conn, path, words)
            for item in files:
                self._store(conn, item, words)
            vocabulary.record_changes(conn, words)

    def touch(self, path: str, state: FileState) -> None:
        """Record a new size and mtime for a file whose content did not change."""
        conn = self._conn()
        with conn:
            conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                         (state.size, state.mtime_ns, path))

    @staticmethod
    def _delete(conn: sqlite3.Connection, path: str, words: Counter[str]) -> None:
        row = conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        indexed = conn.execute("SELECT band, title, headings, text, meta FROM contents "
                               "WHERE id = ?", row).fetchone()
        if indexed is not None:
            band, *fields = indexed
            fields[-1] = unlabelled(fields[-1])
            tokens = [vocabulary.fts_tokens(conn, field) for field in fields]
            # A contentless table forgets a row only when told exactly what it held.
            for table, values in _fts_rows(band, fields, tokens):
                conn.execute(f"INSERT INTO {table}({table}, rowid, {_FTS_COLUMNS}) "
                             f"VALUES ('delete', ?, {_FTS_VALUES})", (*row, *values))
            conn.execute("DELETE FROM contents WHERE id = ?", row)
            words.subtract(set().union(*tokens))
        conn.execute("DELETE FROM symptoms WHERE file_id = ?", row)
        conn.execute("DELETE FROM alert_names WHERE file_id = ?", row)
        conn.execute("DELETE FROM scenarios WHERE file_id = ?", row)
        conn.execute("DELETE FROM files WHERE id = ?", row)

    def _store(self, conn: sqlite3.Connection, item: IndexedFile, words: Counter[str]) -> None:
        self._delete(conn, item.path, words)
        record = item.record
        folder = item.path.rsplit("/", 1)[0] if "/" in item.path else ""
        title = record.title if record else item.path.rsplit("/", 1)[-1]
        parts: list[str] = []
        offset = 0
        headings: list[str] = []
        ranges: list[tuple[str, str, int, int, int]] = []
        for section in record.sections if record else ():
            heading = _clean(section.heading.rsplit(" › ", 1)[-1])
            text = "\n".join(_clean(part) for part in (section.body, section.code) if part)
            chunk = f"{heading}\n{text}\n\n"
            ranges.append((section.anchor, section.heading, offset, offset + len(heading),
                           offset + len(chunk)))
            parts.append(chunk)
            offset += len(chunk)
            if heading:
                headings.append(heading)
        cursor = conn.execute(
            "INSERT INTO files(path, size, mtime_ns, digest, title, markup, folder, tags, "
            "severity, problem, sections, section_edges, section_labels) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item.path, item.state.size, item.state.mtime_ns, item.state.digest, title,
             record.markup if record else "", folder,
             " ".join(record.tags) if record else "",
             record.severity if record else "", item.problem, len(ranges),
             *encode_sections(ranges)))
        if record is None:
            return
        file_id = cursor.lastrowid
        scenario_rows, symptom_rows, name_rows = [], [], []
        for ordinal, scenario in enumerate(record.scenarios):
            scenario_rows.append((file_id, ordinal, scenario.title, scenario.anchor,
                                  scenario.severity, scenario.alert, _compact(scenario.symptoms),
                                  _compact([list(b) for b in scenario.branches])))
            names = scenario.alerts or ([scenario.alert] if scenario.alert else [])
            name_rows += [(name.lower(), file_id, ordinal) for name in dict.fromkeys(names)]
            seen: set[str] = set()
            for text, key, category in scenario.keyed_symptoms():
                if key and key not in seen:
                    seen.add(key)
                    symptom_rows.append((file_id, ordinal, key, text,
                                         symptom_label(text, scenario.alert), category,
                                         scenario.alert))
        conn.executemany("INSERT INTO scenarios(file_id, ordinal, title, anchor, severity, "
                         "alert, symptoms, branches) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         scenario_rows)
        conn.executemany("INSERT INTO symptoms(file_id, ordinal, key, text, label, category, "
                         "alert) VALUES (?, ?, ?, ?, ?, ?, ?)", symptom_rows)
        conn.executemany("INSERT INTO alert_names(name, file_id, ordinal) VALUES (?, ?, ?)",
                         name_rows)
        meta = _clean(record.meta)  # stored with its labels, searched without
        fields = (_clean(record.title), "\n".join(headings), "".join(parts), unlabelled(meta))
        tokens = [vocabulary.fts_tokens(conn, field) for field in fields]
        words.update(set().union(*tokens))
        length = sum(map(len, tokens))
        band = band_of(length)
        conn.execute("INSERT INTO contents(id, band, tokens, pairs, heads, title, headings, "
                     "text, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (file_id, band, length, sum(map(word_pairs.pair_count, tokens)),
                      len(tokens[0]) + len(tokens[1]), *fields[:3], meta))
        for table, values in _fts_rows(band, fields, tokens):
            conn.execute(f"INSERT INTO {table}(rowid, {_FTS_COLUMNS}) VALUES (?, {_FTS_VALUES})",
                         (file_id, *values))

    def set_bulk(self, bulk: bool) -> None:
        """Turn FTS5's incremental merging off for a big build (and on again after).

        Merging while thousands of rows arrive costs the writer ~10% of a full
        build; ``optimize`` merges everything once at the end instead.
        """
        conn = self._conn()
        wanted = 0 if bulk else 4
        row = conn.execute("SELECT v FROM docs_fts_config WHERE k = 'automerge'").fetchone()
        if (row[0] if row else 4) == wanted:
            return  # nothing to write: a warm start stays read-only
        with conn:
            for table in _FTS_TABLES:
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)",
                             (wanted,))

    def optimize(self) -> None:
        """Merge FTS5's segments after a big build, so later queries read fewer pages."""
        conn = self._conn()
        with conn:
            for table in _FTS_TABLES:
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    # -- reading ----------------------------------------------------------------------
    def document_count(self) -> int:
        """Runbooks in the index (what the status bar shows): kept by the lengths triggers."""
        return self._guarded(lambda conn: conn.execute(
            "SELECT runbooks FROM lengths").fetchone()[0])

    def counts(self) -> tuple[int, int]:
        """(runbooks, sections) in the index."""
        sections = self._guarded(lambda conn: conn.execute(
            "SELECT total(sections) FROM files").fetchone()[0])
        return self.document_count(), int(sections)

    def documents(self) -> list[DocumentSummary]:
        """Every readable runbook, by path (for quick-open and the filter lists)."""
        def read(conn: sqlite3.Connection) -> list[DocumentSummary]:
            rows = conn.execute("SELECT path, title, severity, tags FROM files "
                                "WHERE problem = '' ORDER BY path")
            return [DocumentSummary(p, t, s, tuple(tags.split())) for p, t, s, tags in rows]
        return self._guarded(read)

    # -- the symptom sidebar ------------------------------------------------------------
    def symptom_overview(self) -> list[SymptomRow]:
        """Every distinct symptom: its words, label, category, scenario count, alert names and
        the folders (components) of the runbooks that list it."""
        def read(conn: sqlite3.Connection) -> list[SymptomRow]:
            rows = conn.execute(
                "SELECT s.key, min(s.text), min(s.label), min(s.category), count(*), "
                "group_concat(DISTINCT s.alert), group_concat(DISTINCT f.folder) "
                "FROM symptoms s JOIN files f ON f.id = s.file_id GROUP BY s.key")
            return [SymptomRow(key, text, label, category, count,
                               tuple(a for a in (alerts or "").split(",") if a),
                               tuple((folders or "").split(",")))
                    for key, text, label, category, count, alerts, folders in rows]
        return self._guarded(read)

    _SCENARIO_COLUMNS = ("SELECT s.file_id, s.ordinal, f.path, f.title, s.title, s.anchor, "
                         "s.severity, s.alert, s.symptoms, s.branches FROM scenarios s "
                         "JOIN files f ON f.id = s.file_id ")

    def scenario_rows(self, keys: list[str] | None = None) -> list[ScenarioRow]:
        """Scenarios listing any of ``keys`` (all when None), by path and page order."""
        def read(conn: sqlite3.Connection) -> list[ScenarioRow]:
            if keys is None:
                rows = conn.execute(self._SCENARIO_COLUMNS + "ORDER BY f.path, s.ordinal")
            else:
                marks = ", ".join("?" * len(keys))
                rows = conn.execute(
                    self._SCENARIO_COLUMNS + "WHERE (s.file_id, s.ordinal) IN (SELECT file_id, "
                    f"ordinal FROM symptoms WHERE key IN ({marks})) "
                    "ORDER BY f.path, s.ordinal", keys)
            return [_scenario_row(row) for row in rows]
        return self._guarded(read)

    def tick_counts(self, keys: list[str], limit: int = 200) -> list[tuple[ScenarioRow, int]]:
        """Scenarios by how many of ``keys`` they list, most first (the symptom checker)."""
        def read(conn: sqlite3.Connection) -> list[tuple[ScenarioRow, int]]:
            marks = ", ".join("?" * len(keys))
            counted = conn.execute(
                "SELECT file_id, ordinal, count(*) FROM symptoms "
                f"WHERE key IN ({marks}) GROUP BY file_id, ordinal", keys).fetchall()
            counts = {(file_id, ordinal): n for file_id, ordinal, n in counted}
            if not counts:
                return []
            best = sorted(counts, key=lambda k: -counts[k])[:limit]
            rows = conn.execute(
                self._SCENARIO_COLUMNS + "WHERE (s.file_id, s.ordinal) IN "
                f"(VALUES {', '.join('(?, ?)' for _ in best)})",
                [value for pair in best for value in pair])
            return [(row, counts[row.file_id, row.ordinal])
                    for row in (_scenario_row(r) for r in rows)]
        return self._guarded(read) if keys else []

    def alert_rows(self, names: list[str]) -> list[ScenarioRow]:
        """Scenarios that answer to one of ``names`` exactly (case-insensitive)."""
        def read(conn: sqlite3.Connection) -> list[ScenarioRow]:
            lowered = list(dict.fromkeys(name.lower() for name in names))[:50]
            marks = ", ".join("?" * len(lowered))
            return [_scenario_row(row) for row in conn.execute(
                self._SCENARIO_COLUMNS + "WHERE (s.file_id, s.ordinal) IN (SELECT file_id, "
                f"ordinal FROM alert_names WHERE name IN ({marks})) ORDER BY f.path, s.ordinal",
                lowered)]
        return self._guarded(read) if names else []

    def alert_names(self) -> dict[str, str]:
        """Every alert name the library's runbooks answer to: {lower-case: as written}."""
        def read(conn: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for name, shown in conn.execute(
                    "SELECT a.name, s.alert FROM alert_names a JOIN scenarios s "
                    "ON s.file_id = a.file_id AND s.ordinal = a.ordinal"):
                found.setdefault(name, shown if shown.lower() == name else name)
            return found
        return self._guarded(read)

    def facets(self) -> tuple[list[str], list[str], list[str]]:
        """(folders, tags, severities) that occur, for the search filters."""
        def read(conn: sqlite3.Connection) -> tuple[list[str], list[str], list[str]]:
            folders: set[str] = set()
            tags: set[str] = set()
            severities: set[str] = set()
            for folder, tag_text, severity in conn.execute(
                    "SELECT DISTINCT folder, tags, severity FROM files WHERE problem = ''"):
                parts = folder.split("/") if folder else []
                folders.update("/".join(parts[:i]) for i in range(1, min(len(parts), 2) + 1))
                tags.update(tag_text.split())
                if severity:
                    severities.add(severity)
            return sorted(folders), sorted(tags), sorted(severities)
        return self._guarded(read)

    def search(self, text: str | ParsedQuery, *, limit: int = 20,
               filters: SearchFilters | None = None, typing: bool = False) -> list[Hit]:
        """Ranked hits, best section per runbook. Never raises for what the user typed."""
        query = parse_query(text) if isinstance(text, str) else text
        chosen = (filters or SearchFilters()).merged(query.filters)
        if limit <= 0:
            return []
        if not query.searchable:
            # Only filters ("severity:SEV1"): list what they select.
            return self._guarded(self._listing, chosen, limit) if query.filters else []
        return self._guarded(self._search, query, chosen, limit, typing)

    @staticmethod
    def _filter_sql(filters: SearchFilters) -> tuple[list[str], list[str]]:
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

    def _listing(self, conn: sqlite3.Connection, filters: SearchFilters,
                 limit: int) -> list[Hit]:
        where, params = self._filter_sql(filters)
        rows = conn.execute(
            "SELECT f.path, f.title, f.severity, f.tags FROM files f "
            f"WHERE f.problem = '' AND {' AND '.join(where) or '1'} ORDER BY f.path LIMIT ?",
            (*params, limit))
        return [Hit(path, title, None, "", "", 0.0, severity, tags.split())
                for path, title, severity, tags in rows]

    def _search(self, conn: sqlite3.Connection, query: ParsedQuery,
                filters: SearchFilters, limit: int, typing: bool) -> list[Hit]:
        sole = vocabulary.sole_words(conn, prefix_words(query, typing=typing))
        expression = fts_expression(query, typing=typing, sole=sole)
        literals = query.literals
        try:
            ranked = self._rank(conn, expression, filters, limit, query, typing, sole)
        except sqlite3.OperationalError as err:
            if "fts5" in str(err) or "syntax" in str(err):
                log.warning("query %r was refused by FTS5: %s", expression, err)
                return []  # never the user's problem
            raise
        if not ranked:
            return []
        hits = self._land(conn, Matcher(query), ranked)
        if literals:
            # Punctuated terms matched as phrases of words; among the hits, an
            # exact occurrence of what was typed ("--replicas=20") ranks first.
            def exactness(hit: Hit) -> int:
                text = (hit.section_text or "").lower()
                return sum(literal in text for literal in literals)
            hits.sort(key=lambda hit: (-exactness(hit), -hit.score))
        return hits[:limit]

    def _rank(self, conn: sqlite3.Connection, expression: str, filters: SearchFilters,
              limit: int, query: ParsedQuery, typing: bool,
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
            focused = self._ranked(conn, heads.TABLE, expression, filters, limit,
                                   bm25_weights(average, heads_tokens / runbooks))
            if len(focused) >= limit:
                return focused
            seen = {file_id for file_id, _ in focused}
            rest = self._ranked(conn, table, expression, filters, limit + len(seen), None)
            return focused + [(file_id, 0.0) for file_id, _ in rest
                              if file_id not in seen][:limit - len(focused)]
        return self._ranked(conn, table, expression, filters, limit, weights)

    def _ranked(self, conn: sqlite3.Connection, table: str, expression: str,
                filters: SearchFilters, limit: int,
                weights: tuple[float, ...] | None) -> list[tuple[int, float]]:
        """(rowid, bm25) of ``table``'s first matches: best first, or in library
        order (and a score of 0) without ``weights``."""
        where, params = self._filter_sql(filters)
        # The join is paid for every matching row before the sort: only when filtering.
        source = f"{table} JOIN files f ON f.id = {table}.rowid" if where else table
        joined = " AND ".join((f"{table} MATCH ?", *where))
        if weights is None:
            return conn.execute(f"SELECT {table}.rowid, 0.0 FROM {source} WHERE {joined} "
                                "LIMIT ?", (expression, *params, limit)).fetchall()
        return conn.execute(f"SELECT {table}.rowid, bm25({table}, {_WEIGHT_MARKS}) AS rank "
                            f"FROM {source} WHERE {joined} ORDER BY rank LIMIT ?",
                            (*weights, expression, *params, limit)).fetchall()

    def _land(self, conn: sqlite3.Connection, matcher: Matcher,
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


def _fts_rows(band: int, fields: Sequence[str],
             tokens: Sequence[Sequence[str]]) -> list[tuple[str, list[str]]]:
    """(table, column values) of a runbook's rows: its words, its word pairs, and its
    title and headings alone."""
    pairs = [word_pairs.pairs_text(words) for words in tokens]
    return [("docs_fts", row_values(band, *fields)),
            (word_pairs.TABLE, row_values(band, *pairs)),
            (heads.TABLE, heads.heads_values(band, *fields[:2]))]


def _clean(text: str) -> str:
    """Text for the index: without the characters that mark matches, pad runbooks and
    join word pairs (which would otherwise be indexed as parts of words)."""
    for private in (MARK_START, MARK_END, PAD_CHARACTER, word_pairs.JOINER):
        text = text.replace(private, " ")
    return text


def _scenario_row(row: tuple) -> ScenarioRow:
    *head, symptoms, branches = row
    return ScenarioRow(*head, json.loads(symptoms), json.loads(branches))


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
