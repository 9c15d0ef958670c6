"""The search index: one SQLite database with FTS5 per library, in the user's cache.

It is only ever a cache of the runbooks on disk, so it heals itself rather
than asking the user anything: a database from an older schema, a file
that is not a database, or one that turns out corrupt in the middle of a
query is moved aside and rebuilt. A database another process keeps locked
is replaced by an in-memory one for this run.

What is stored is described in ``schema``; how a query is answered, in
``ranking``. Ranking one row per runbook rather than one per section keeps
a query for a word that is in every runbook ("kubectl") within a few
milliseconds at 5,000 runbooks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer.core import cjk
from viewer.core.lazy_log import LazyLogger
from viewer.core.search import heads, overview, ranking, vocabulary, word_pairs
from viewer.core.search.labels import LabelRow, store_labels
from viewer.core.search.landing import encode_sections
from viewer.core.search.length_bands import (
    PAD_CHARACTER,
    band_of,
    row_values,
)
from viewer.core.search.meta_labels import unlabelled
from viewer.core.search.query import (
    ParsedQuery,
    parse_query,
)
from viewer.core.search.results import MARK_END, MARK_START, Hit, SearchFilters
from viewer.core.search.schema import (
    FTS_COLUMNS,
    FTS_TABLES,
    FTS_VALUES,
    SCHEMA,
    SCHEMA_VERSION,
)
from viewer.core.search.spread import RowidSpread, default_ways
from viewer.core.sqlite_faults import is_busy, is_damage, is_disk_full
from viewer.core.triage.store import ScenarioRow, SymptomRow

if TYPE_CHECKING:  # the reading side never loads the Document model or the extractor
    from viewer.core.search.sections import IndexedDocument

log = LazyLogger(__name__)


class IndexUnavailable(Exception):
    """The index could not be read this time; it is being rebuilt."""


class FileState(NamedTuple):
    """A file as last indexed. A tuple: 50,000 of them are read at every freshness check."""

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
    labels: tuple[LabelRow, ...] = ()  # a reST file's labels, for :ref: (see labels.py)


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
        # Reads in progress, by connection: closing one under a running statement crashes
        # the process (the window closing while its sidebar loads), so such a connection
        # is closed by its read, when that ends.
        self._reading: dict[int, int] = {}
        self._closing: dict[int, sqlite3.Connection] = {}
        self._generation = 0
        self._memory_uri = ""
        self._spread = RowidSpread(self._conn, default_ways())
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
        conn.executescript(SCHEMA)
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
            if self._reading.get(id(conn)):
                self._closing[id(conn)] = conn  # its read closes it
                continue
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._connections.clear()

    @contextlib.contextmanager
    def _read_on(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, counted as in use until the block ends."""
        with self._lock:  # so no close falls between taking the connection and counting it
            conn = self._conn()
            self._reading[id(conn)] = self._reading.get(id(conn), 0) + 1
        try:
            yield conn
        finally:
            with self._lock:
                left = self._reading.pop(id(conn)) - 1
                if left:
                    self._reading[id(conn)] = left
                elif id(conn) in self._closing:
                    with contextlib.suppress(sqlite3.Error):
                        self._closing.pop(id(conn)).close()

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
        self._spread.close()
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
            with self._read_on() as conn:
                return fn(conn, *args)
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
    def disk_stamp(self) -> str:
        """The library's stamp (see ``refresh.disk_stamp``) when every file was last found
        matching the index; "" when none is recorded."""
        def read(conn: sqlite3.Connection) -> str:
            row = conn.execute("SELECT value FROM meta WHERE key = 'disk_stamp'").fetchone()
            return row[0] if row else ""
        return self._guarded(read)

    def record_disk_stamp(self, stamp: str) -> None:
        self._set_meta(self._conn(), "disk_stamp", stamp)

    def file_states(self) -> dict[str, FileState]:
        def read(conn: sqlite3.Connection) -> dict[str, FileState]:
            rows = conn.execute("SELECT path, size, mtime_ns, digest FROM files")
            make = FileState._make
            return {row[0]: make(row[1:]) for row in rows}
        return self._guarded(read)

    def apply(self, files: Sequence[IndexedFile], removed: Iterable[str] = ()) -> None:
        """Store new or changed files and forget removed ones, in one transaction."""
        conn = self._conn()
        words: Counter[str] = Counter()  # each word's change in runbooks
        with conn:
            changed = bool(files)
            for path in removed:
                self._delete(conn, path, words)
                changed = True
            for item in files:
                self._store(conn, item, words)
            vocabulary.record_changes(conn, words)
            if changed:
                overview.note_changes(conn)

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
                conn.execute(f"INSERT INTO {table}({table}, rowid, {FTS_COLUMNS}) "
                             f"VALUES ('delete', ?, {FTS_VALUES})", (*row, *values))
            conn.execute("DELETE FROM contents WHERE id = ?", row)
            words.subtract(set().union(*tokens))
        conn.execute("DELETE FROM symptoms WHERE file_id = ?", row)
        conn.execute("DELETE FROM alert_names WHERE file_id = ?", row)
        conn.execute("DELETE FROM rst_labels WHERE file_id = ?", row)
        conn.execute("DELETE FROM scenarios WHERE file_id = ?", row)
        conn.execute("DELETE FROM files WHERE id = ?", row)

    def _store(self, conn: sqlite3.Connection, item: IndexedFile, words: Counter[str]) -> None:
        from viewer.core.triage.alerts import symptom_label  # writing only: search needs none

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
        file_id = cursor.lastrowid
        store_labels(conn, file_id, item.labels)
        if record is None:
            return
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
            conn.execute(f"INSERT INTO {table}(rowid, {FTS_COLUMNS}) VALUES (?, {FTS_VALUES})",
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
            for table in FTS_TABLES:
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)",
                             (wanted,))

    def optimize(self) -> None:
        """Merge FTS5's segments after a big build, so later queries read fewer pages."""
        conn = self._conn()
        with conn:
            for table in FTS_TABLES:
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

    def titles_in(self, folder: str) -> dict[str, str]:
        """Title of each indexed runbook directly in ``folder`` ("" for the top), by path:
        what the library tree shows when a folder is opened."""
        def read(conn: sqlite3.Connection) -> dict[str, str]:
            prefix = f"{folder}/" if folder else ""
            rows = conn.execute(  # a range of the path's unique index: one folder's rows
                "SELECT path, title FROM files WHERE path >= ? AND path < ? AND problem = ''",
                (prefix, prefix + "\U0010ffff"))
            return {path: title for path, title in rows if "/" not in path[len(prefix):]}
        return self._guarded(read)

    def has_pages_under(self, folder: str) -> bool:
        """True when some readable runbook is inside ``folder``, at any depth."""
        def read(conn: sqlite3.Connection) -> bool:
            prefix = f"{folder}/"
            return conn.execute(
                "SELECT 1 FROM files WHERE path >= ? AND path < ? AND problem = '' LIMIT 1",
                (prefix, prefix + "\U0010ffff")).fetchone() is not None
        return self._guarded(read)

    def pages_matching(self, text: str, limit: int = 500) -> list[tuple[str, str]]:
        """(path, title) of runbooks whose title or path holds ``text`` (any case), by path:
        the library filter, without holding every runbook in the window."""
        def read(conn: sqlite3.Connection) -> list[tuple[str, str]]:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            return list(conn.execute(
                "SELECT path, title FROM files WHERE problem = '' AND (title LIKE ? ESCAPE '\\' "
                "OR path LIKE ? ESCAPE '\\') ORDER BY path LIMIT ?", (pattern, pattern, limit)))
        return self._guarded(read)

    # -- the symptom sidebar ------------------------------------------------------------
    def symptom_overview(self) -> list[SymptomRow]:
        """Every distinct symptom (see ``overview``): as kept when nothing changed since,
        else worked out and kept for the next reader."""
        def read(conn: sqlite3.Connection) -> list[SymptomRow]:
            found = overview.kept(conn)
            return found if found is not None else overview.worked_out_and_kept(conn)
        return self._guarded(read)

    def symptom_overview_kept(self) -> bool:
        """Whether the overview is kept and current (the next reader need not work it out)."""
        return self._guarded(overview.is_kept)

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

    def alert_rows(self, names: list[str]) -> dict[str, list[ScenarioRow]]:
        """{lower-case name: the scenarios answering to it exactly}, for each of ``names``."""
        def read(conn: sqlite3.Connection) -> dict[str, list[ScenarioRow]]:
            lowered = list(dict.fromkeys(name.lower() for name in names))[:50]
            marks = ", ".join("?" * len(lowered))
            found: dict[str, list[ScenarioRow]] = {name: [] for name in lowered}
            for name, *row in conn.execute(
                    "SELECT a.name, " + self._SCENARIO_COLUMNS.removeprefix("SELECT ")
                    + "JOIN alert_names a ON a.file_id = s.file_id AND a.ordinal = s.ordinal "
                    f"WHERE a.name IN ({marks}) ORDER BY f.path, s.ordinal", lowered):
                found[name].append(_scenario_row(tuple(row)))
            return found
        return self._guarded(read) if names else {}

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
            return self._guarded(ranking.listed, chosen, limit) if query.filters else []
        return self._guarded(ranking.hits_for, query, chosen, limit, typing, self._spread)


def _fts_rows(band: int, fields: Sequence[str],
             tokens: Sequence[Sequence[str]]) -> list[tuple[str, list[str]]]:
    """(table, column values) of a runbook's rows: its words, its word pairs, and its
    title and headings alone."""
    pairs = [word_pairs.pairs_text(words) for words in tokens]
    indexed = [cjk.spaced(field) for field in fields]  # as ``tokens`` were counted
    return [("docs_fts", row_values(band, *indexed)),
            (word_pairs.TABLE, row_values(band, *pairs)),
            (heads.TABLE, heads.heads_values(band, *indexed[:2]))]


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
