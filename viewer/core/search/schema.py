"""The search index's database schema: its tables, FTS5 tables and version.

Each runbook is one FTS5 row (title, headings, text, metadata, in the
columns of its length band: see ``length_bands``), one row of its word
pairs (see ``word_pairs``) and one of its title and headings alone (see
``heads``); ``contents`` keeps what was indexed, to unindex it and for
snippets. Bumping ``SCHEMA_VERSION`` makes every index rebuild itself.
"""

from __future__ import annotations

from viewer.core.search import heads, labels, vocabulary, word_pairs
from viewer.core.search.length_bands import COLUMNS, PAD_COLUMN

SCHEMA_VERSION = 65  # bump whenever what is indexed changes

FTS_COLUMNS = ", ".join((*COLUMNS, PAD_COLUMN))


def _fts_table(name: str, *, prefix: bool) -> str:
    """One of the index's contentless FTS5 tables: the same banded columns and tokenizer
    (a pair is one token, so the pairs table needs no prefix index)."""
    prefixes = ",\n    prefix = '2 3'" if prefix else ""
    return (f"CREATE VIRTUAL TABLE {name} USING fts5(\n    {FTS_COLUMNS},\n    content = '',\n"
            f"    columnsize = 0,\n    tokenize = '{vocabulary.TOKENIZER}'{prefixes}\n);")


SCHEMA = f"""
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
{labels.SCHEMA}
PRAGMA user_version = {SCHEMA_VERSION};
"""
FTS_VALUES = ", ".join("?" * (len(COLUMNS) + 1))
FTS_TABLES = ("docs_fts", word_pairs.TABLE, heads.TABLE)
