"""Queries most runbooks match: ranked on the titles-and-headings table, as on the words table."""

from __future__ import annotations

import pytest

from tests.conftest import MakeIndex, searched_with_sql, words_table_scores
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.length_bands import PAD_CHARACTER, columns_of
from viewer.core.search.refresh import refresh_index

# "restart" is in every runbook, in a title or heading in three of them.
RUNBOOKS = {
    "api.md": "# API restart\n\nRestart the API pods, then restart the workers.\n",
    "cache.md": "# Cache\n\n## Restart Redis\n\nredis-cli shutdown; the service restarts.\n",
    "db.md": "# Database\n\nNever restart the primary by hand.\n",
    "edge.rst": "Edge\n====\n\nRestarting\n----------\n\nkubectl rollout restart deploy/edge\n",
    "queue.md": "# Queue\n\nDrain the queue before any restart.\n",
}
HEADS = "{" + " ".join(columns_of("title", "headings")) + "}"


def _filtered_scores(index: SearchIndex, expression: str) -> dict[str, float]:
    """{path: score} of ``expression`` in titles and headings, by bm25 on the words table."""
    return words_table_scores(index, f"{HEADS} : ({expression})")


def _searched(index: SearchIndex, query: str) -> tuple[list[tuple[str, float]], list[str]]:
    hits, statements = searched_with_sql(index, query)
    return [(hit.path, hit.score) for hit in hits], statements


@pytest.fixture
def built(make_index: MakeIndex) -> tuple[SearchIndex, Library]:
    return make_index(RUNBOOKS)


def test_title_and_heading_matches_come_first_with_the_words_tables_scores(
        built: tuple[SearchIndex, Library]) -> None:
    index, _library = built
    found, statements = _searched(index, "restart*")
    expected = _filtered_scores(index, '"restart"*')
    assert sorted(expected) == ["api.md", "cache.md", "edge.rst"]
    assert dict(found[:3]) == expected
    assert [score for _path, score in found[:3]] == sorted(expected.values(), reverse=True)
    assert sorted(path for path, _score in found[3:]) == ["db.md", "queue.md"]
    assert all(score == 0.0 for _path, score in found[3:])
    assert any("heads_fts MATCH" in sql for sql in statements), statements


def test_the_titles_and_headings_follow_edits_and_deletes(
        built: tuple[SearchIndex, Library]) -> None:
    index, library = built
    root = library.root
    (root / "api.md").write_text("# API\n\nRestart the API pods.\n", encoding="utf-8")
    (root / "cache.md").unlink()
    (root / "workers.md").write_text("# Workers\n\n## When to restart\n\nRestart them.\n",
                                     encoding="utf-8")
    refresh_index(index, library)
    found, _statements = _searched(index, "restart")
    expected = _filtered_scores(index, '"restart"*')
    assert sorted(expected) == ["edge.rst", "workers.md"]
    assert dict(found[:2]) == expected
    conn = index._conn()
    held = {rowid for (rowid,) in conn.execute(
        "SELECT rowid FROM heads_fts WHERE heads_fts MATCH ?", ('"restart"*',))}
    assert len(held) == 2  # the edited and deleted runbooks' headings are gone
    padded = conn.execute("SELECT count(*) FROM heads_fts WHERE heads_fts MATCH ?",
                          (f'"{PAD_CHARACTER}"',)).fetchone()[0]
    assert padded == 5  # one row per runbook, as in the words table


def test_a_query_few_runbooks_match_is_ranked_on_the_words_table(
        built: tuple[SearchIndex, Library]) -> None:
    index, _library = built
    found, statements = _searched(index, "redis")
    assert [path for path, _score in found] == ["cache.md"]
    assert not any("heads_fts" in sql for sql in statements), statements
