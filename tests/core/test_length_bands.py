"""Ranking with length bands: the same BM25 as FTS5's own, without a length lookup per match."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import MakeIndex, MakeLibrary
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.length_bands import (
    COLUMNS,
    FIELD_WEIGHTS,
    PAD_COLUMN,
    band_of,
    bm25_weights,
    row_values,
)
from viewer.core.search.refresh import refresh_index
from viewer.core.search.vocabulary import fts_tokens

_FILLER = ("service", "restart", "check", "logs", "owner", "page", "metric", "alert", "node")


def _runbooks(count: int, longest: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """(title, headings, text, meta) of runbooks from 5 words to ``longest``."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        length = int(5 * (longest / 5) ** rng.random())
        words = [rng.choice(_FILLER) for _ in range(length)]
        for _ in range(rng.randrange(0, 6)):
            words.insert(rng.randrange(len(words) + 1), "failover")
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words) + 1), "disk usage over limit")
        title = f"runbook {i}" + (" failover" if i % 9 == 0 else "")
        headings = "steps" + (" failover drill" if i % 7 == 0 else "")
        made.append((title, headings, " ".join(words), "team ops"))
    return made


def _scores(conn: sqlite3.Connection, sql: str, query: str, *weights: float) -> dict[int, float]:
    return {rowid: -score for rowid, score in conn.execute(sql, (*weights, query))}


# The second library's average length is where FTS5's length-free factor
# would be 0 without the padding, and the word count is then taken 3% off:
# the scores must hold although the index's own count of words differs.
@pytest.mark.parametrize(("longest", "miscount"), [(6000, 1.0), (2000, 1.03), (2000, 0.97)])
def test_banded_scores_are_fts5_bm25_within_the_band_rounding(longest: int,
                                                                miscount: float) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE exact USING fts5(title, headings, text, meta)")
    columns = ", ".join((*COLUMNS, PAD_COLUMN))
    conn.execute(f"CREATE VIRTUAL TABLE banded USING fts5({columns}, content='', columnsize=0)")
    tokens = 0
    runbooks = _runbooks(150, longest)
    for rowid, fields in enumerate(runbooks, 1):
        count = sum(len(fts_tokens(conn, field)) for field in fields)
        tokens += count
        conn.execute("INSERT INTO exact(rowid, title, headings, text, meta) VALUES (?, ?, ?, ?, ?)",
                     (rowid, *fields))
        conn.execute(f"INSERT INTO banded(rowid, {columns}) VALUES (?{', ?' * (len(COLUMNS) + 1)})",
                     (rowid, *row_values(band_of(count), *fields)))
    weights = bm25_weights(tokens / len(runbooks) * miscount)
    marks = ", ".join("?" * len(weights))
    for query in ("failover", '"disk usage over"', "failover disk"):
        exact = _scores(conn, "SELECT rowid, bm25(exact, ?, ?, ?, ?) FROM exact "
                        "WHERE exact MATCH ?", query, *FIELD_WEIGHTS)
        banded = _scores(conn, f"SELECT rowid, bm25(banded, {marks}) FROM banded "
                         "WHERE banded MATCH ?", query, *weights)
        assert banded.keys() == exact.keys() and len(exact) > 10, query
        errors = sorted(abs(banded[r] - exact[r]) / exact[r] for r in exact)
        # A length is rounded to its band's middle, at most 15% away.
        assert errors[-1] < 0.15, query
        assert errors[len(errors) // 2] < 0.06, query
        best = max(banded, key=banded.__getitem__)
        assert exact[best] > 0.95 * max(exact.values()), query


def test_a_short_runbook_outranks_a_long_one_with_as_many_matches(
        make_index: MakeIndex) -> None:
    filler = " ".join(["Check the dashboards and the logs of the service."] * 60)
    others = {f"other{i}.md": f"# Other {i}\n\nNothing to see.\n" for i in range(6)}
    index, _library = make_index({
        "long.md": f"# Storage notes\n\nA failover may be needed. {filler}\n",
        "short.md": "# Storage notes\n\nA failover may be needed.\n", **others})
    assert [hit.path for hit in index.search("failover")] == ["short.md", "long.md"]


def test_a_library_of_tiny_runbooks_still_ranks_by_matches(
        make_index: MakeIndex) -> None:
    # A word or three a runbook: far fewer than the table's columns, which
    # FTS5 counts as -1 token each when it has no lengths.
    others = {f"other{i}.md": "cache" for i in range(4)}
    index, _library = make_index({"a.md": "redis", "b.md": "redis redis redis",
                                  "c.md": "redis cache", **others})
    hits = index.search("redis")
    assert hits[0].path == "b.md" and len(hits) == 3
    assert all(hit.score > 0 for hit in hits)


def test_edited_and_removed_runbooks_leave_nothing_behind_in_the_index(
        make_library: MakeLibrary, tmp_path: Path) -> None:
    root = make_library({"a.md": "# Zebra crossing\n\nzebra zebra\n", "b.md": "# Yak\n\nyak\n"})
    index = SearchIndex(tmp_path / "i.sqlite3", root)
    library = Library(root)
    refresh_index(index, library)
    (root / "a.md").write_text("# Okapi\n\nokapi\n", encoding="utf-8")
    (root / "b.md").unlink()
    refresh_index(index, library)
    assert index.search("zebra") == [] and index.search("yak") == []
    assert [hit.path for hit in index.search("okapi")] == ["a.md"]
    conn = index._conn()
    conn.execute("INSERT INTO docs_fts(docs_fts, rank) VALUES ('integrity-check', 0)")
    assert conn.execute("SELECT runbooks FROM lengths").fetchone()[0] == 1
