"""The vocabulary: how many runbooks hold each word, as FTS5 counts them, through every edit."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import MakeIndex, searched_with_sql
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.length_bands import PAD_CHARACTER
from viewer.core.search.query import fts_expression, parse_query, required_words
from viewer.core.search.refresh import refresh_index
from viewer.core.search.vocabulary import matching_bounds, sole_words

RUNBOOKS = {
    "db/pool.md": "# Pool exhausted\n\nRun `SELECT * FROM pg_stat_activity;` then "
                  "`kubectl rollout undo deploy/api`.\n\n## Escalate\n\nPage the DBA.\n",
    "edge/gateway.rst": "Gateway 5xx\n===========\n\nkubectl rollout restart deploy/edge\n\n"
                        "Replicas\n--------\n\nSet replicas to 20.\n",
    "fr/deploiement.md": "# Déploiement raté\n\nRedémarrer le service; la clé est naïve. "
                         "Straße ÆON café CAFÉ.\n",
    "notes.md": "# Notes\n\nkubectl get pods, kubectl logs.\n",
    # Letters Python folds otherwise than SQLite (µ, İ, ǅ), a ligature, symbols
    # and emoji glued to words: the vocabulary must still hold FTS5's words.
    "units.md": "# Latency\n\np95 over 250µs at 20°C; İstanbul ǅungla ﬁx a→b 😀ok ×2.\n",
}


def _fts5_counts(conn: sqlite3.Connection) -> dict[str, int]:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms "
                 "USING fts5vocab(main, docs_fts, row)")
    return {term: runbooks for term, runbooks in conn.execute("SELECT term, doc FROM temp.terms")
            if term != PAD_CHARACTER}


def _vocabulary(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT word, runbooks FROM vocabulary"))


@pytest.fixture
def built(make_index: MakeIndex) -> tuple[SearchIndex, Library]:
    return make_index(RUNBOOKS)


def test_word_counts_are_fts5s_own_through_edits_adds_and_deletes(
        built: tuple[SearchIndex, Library]) -> None:
    index, library = built
    conn = index._conn()
    counts = _vocabulary(conn)
    assert counts == _fts5_counts(conn)
    assert counts["kubectl"] == 3 and counts["cafe"] == 1 and counts["deploiement"] == 1

    root = library.root
    (root / "notes.md").write_text("# Notes\n\nNothing about clusters.\n", encoding="utf-8")
    (root / "edge/gateway.rst").unlink()
    (root / "new.md").write_text("# Rollout\n\nkubectl rollout status\n", encoding="utf-8")
    refresh_index(index, library)
    counts = _vocabulary(conn)
    assert counts == _fts5_counts(conn)
    assert counts["kubectl"] == 2 and "replicas" not in counts and counts["clusters"] == 1


@pytest.mark.parametrize("query", [
    "kubectl", "kube*", "rollout", '"rollout undo"', "kubectl -gateway", "pg_stat_activity",
    "replicas OR pool", "5xx", "cafe", "Café", "zebra", "kubectl rollout", "deploy*"])
def test_bounds_hold_the_real_number_of_matches(built: tuple[SearchIndex, Library],
                                                query: str) -> None:
    index, _library = built
    conn = index._conn()
    parsed = parse_query(query)
    lower, upper = matching_bounds(conn, required_words(parsed),
                                   whole=not any(term.negated for term in parsed.terms))
    real = conn.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?",
                        (fts_expression(parsed),)).fetchone()[0]
    assert lower <= real
    assert upper is None or real <= upper


@pytest.mark.parametrize(("query", "expected"), [
    ("pg_stat_activity", ["db/pool.md"]),  # held by few runbooks: ranked by BM25
    ("kubectl", ["notes.md", "db/pool.md", "edge/gateway.rst"]),  # by most: headings first
])
def test_a_search_counts_no_matches_when_the_vocabulary_can_tell(
        built: tuple[SearchIndex, Library], query: str, expected: list[str]) -> None:
    index, _library = built
    hits, statements = searched_with_sql(index, query, limit=20)
    assert sorted(hit.path for hit in hits) == sorted(expected)
    assert any("MATCH" in statement for statement in statements)
    assert not any("count(*)" in statement for statement in statements), statements


def _statements_of_search(index: SearchIndex, query: str) -> tuple[list[str], list[str]]:
    """(paths found, SQL run) for one search."""
    hits, statements = searched_with_sql(index, query, limit=20)
    return [hit.path for hit in hits], statements


def test_a_prefix_that_begins_no_other_word_is_asked_for_as_the_word(
        built: tuple[SearchIndex, Library]) -> None:
    index, library = built
    conn = index._conn()
    assert sole_words(conn, ["rollout", "kube", "kubectl", "zebra", "cafe", "Kubectl"]) == {
        "rollout", "kubectl", "cafe"}
    paths, statements = _statements_of_search(index, "rollout")
    assert sorted(paths) == ["db/pool.md", "edge/gateway.rst"]
    assert any("'\"rollout\"'" in statement for statement in statements), statements

    # Once a longer word exists, the prefix is a prefix again and finds it.
    (library.root / "more.md").write_text("# Rollouts\n\nPause rollouts first.\n",
                                          encoding="utf-8")
    refresh_index(index, library)
    paths, statements = _statements_of_search(index, "rollout")
    assert sorted(paths) == ["db/pool.md", "edge/gateway.rst", "more.md"]
    assert any("'\"rollout\"*'" in statement for statement in statements), statements


def test_a_word_alone_ranks_exactly_as_its_prefix(built: tuple[SearchIndex, Library]) -> None:
    index, _library = built
    for query in ("kubectl rollout", "kubectl", "gateway 5xx"):
        as_words = [(hit.path, hit.score) for hit in index.search(query)]
        as_prefixes = [(hit.path, hit.score) for hit in index.search(
            " ".join(f"{word}*" for word in query.split()))]
        assert as_words == as_prefixes and as_words


def test_chinese_japanese_and_korean_words_are_fts5s_own() -> None:
    """Each such letter is counted as a word without asking SQLite (a page of Chinese is a
    million of them): every one of them must be exactly the word FTS5 makes of it."""
    import re

    from viewer.core.cjk import CHARACTERS, is_cjk_letter, spaced
    from viewer.core.search.vocabulary import _sqlite_tokens, fts_tokens

    one = re.compile(f"[{CHARACTERS}]")
    letters = [chr(c) for c in [*range(0x1100, 0xFFFF), 0x20000, 0x2A6D6, 0x30000]
               if one.match(chr(c)) and is_cjk_letter(chr(c))]
    assert len(letters) > 39_000
    conn = sqlite3.connect(":memory:")
    text = "".join(letters)  # written without spaces, as these scripts are
    assert fts_tokens(conn, text) == _sqlite_tokens(conn, {0: spaced(text)})[0] == letters
    # Punctuation among them (the kana middle dot, a long hyphen) is no word, as to FTS5.
    mixed = "ディスク・容量゠Pod的状态"
    assert fts_tokens(conn, mixed) == _sqlite_tokens(conn, {0: spaced(mixed)})[0] == [
        "デ", "ィ", "ス", "ク", "容", "量", "pod", "的", "状", "态"]
