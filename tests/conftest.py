"""Shared fixtures: an isolated user environment, real runbook libraries on disk, their index."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.length_bands import bm25_weights
from viewer.core.search.refresh import refresh_index
from viewer.core.search.results import Hit

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A search in a test answers by itself and leaves no helper process behind;
# tests/test_search_helper.py turns the helper on where it is the subject.
os.environ["RUNBOOK_VIEWER_SEARCH_HELPER"] = "off"

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config, cache, data and state at a fresh folder so no test touches the user's."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    return home


@pytest.fixture(autouse=True)
def no_session_secrets() -> None:
    """Secrets typed in one test (kept in memory without a keyring) never leak into the next."""
    from viewer.sync.credentials import forget_session_secrets

    forget_session_secrets()


MakeLibrary = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def make_library(tmp_path: Path) -> MakeLibrary:
    """Write ``{relative path: text or bytes}`` under a fresh library folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "library"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return make


MakeIndex = Callable[[dict[str, str | bytes]], tuple[SearchIndex, Library]]


@pytest.fixture
def make_index(make_library: MakeLibrary, tmp_path: Path) -> MakeIndex:
    """A library of these files (see ``make_library``) and its index, built."""

    def make(files: dict[str, str | bytes]) -> tuple[SearchIndex, Library]:
        library = Library(make_library(files))
        index = SearchIndex(tmp_path / "index.sqlite3", library.root)
        refresh_index(index, library)
        return index, library

    return make


def seeds_or_skip() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip("seed runbooks not present (../shared/seeds); these tests check the seeds")
    return sorted(SEEDS.glob("*.txt"))


def words_table_scores(index: SearchIndex, expression: str) -> dict[str, float]:
    """{path: score} of an FTS5 ``expression`` ranked by bm25 on the words table itself:
    what a search on another table (word pairs, titles and headings) must give."""
    conn = index._conn()
    documents, tokens = conn.execute("SELECT runbooks, tokens FROM lengths").fetchone()
    weights = bm25_weights(tokens / documents)
    marks = ", ".join("?" * len(weights))
    rows = conn.execute(
        f"SELECT f.path, bm25(docs_fts, {marks}) FROM docs_fts JOIN files f "
        "ON f.id = docs_fts.rowid WHERE docs_fts MATCH ?", (*weights, expression))
    return {path: round(-score, 4) for path, score in rows}


def searched_with_sql(index: SearchIndex, query: str,
                      limit: int = 50) -> tuple[list[Hit], list[str]]:
    """The hits of ``query`` and every SQL statement the search ran."""
    conn = index._conn()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        return index.search(query, limit=limit), statements
    finally:
        conn.set_trace_callback(None)
