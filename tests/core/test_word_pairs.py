"""Phrases on the word-pairs table: the same hits and scores as the words table, kept in step."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.conftest import MakeIndex, searched_with_sql, words_table_scores
from viewer.core.library import Library
from viewer.core.search.index import SearchIndex
from viewer.core.search.refresh import refresh_index
from viewer.core.search.vocabulary import TOKENIZER, fts_tokens

RUNBOOKS = {
    "db/pool.md": "# Pool exhausted\n\nRun `SELECT * FROM pg_stat_activity;` then "
                  "`kubectl rollout undo deploy/api`.\n\n## Escalate\n\nPage the DBA. "
                  "Escalate to the DBA lead, then escalate to the DBA manager.\n",
    "edge/gateway.rst": "Gateway 5xx\n===========\n\nkubectl rollout restart deploy/edge\n\n"
                        "Replicas\n--------\n\nRoll out undo is not a thing; escalate to the "
                        "DBA only for the database.\n",
    "fr/deploiement.md": "# Déploiement raté\n\nRedémarrer le service; la clé est naïve. "
                         "Straße ÆON café CAFÉ.\n",
    # Letters Python folds otherwise than SQLite, a ligature, symbols and emoji
    # glued to words, and the private-use characters the index itself uses.
    "units.md": "# Latency\n\np95 over 250µs at 20°C; İstanbul ǅungla ﬁx a→b 😀ok ×2. "
                "alpha\ue001beta gamma\ue000delta\n",
    "notes.md": "---\ntags: [dba, escalate]\n---\n# Notes\n\nkubectl get pods, kubectl logs.\n",
}

PHRASES = ['"escalate to the dba"', "pg_stat_activity", '"rollout undo"', '"undo rollout"',
           '"kubectl rollout"', '"Straße ÆON café"', '"la clé est naïve"', '"250µs at 20°C"',
           '"İstanbul ǅungla"', '"a→b"', '"alpha beta"', '"gamma delta"', '"tags dba"']


def _word_table_scores(index: SearchIndex, phrase: str) -> dict[str, float]:
    return words_table_scores(index, '"' + phrase.strip('"') + '"')


def _searched(index: SearchIndex, phrase: str) -> tuple[dict[str, float], list[str]]:
    hits, statements = searched_with_sql(index, phrase)
    return {hit.path: hit.score for hit in hits}, statements


@pytest.fixture
def built(make_index: MakeIndex) -> tuple[SearchIndex, Library]:
    return make_index(RUNBOOKS)


def _fts5_tokens(text: str) -> list[str]:
    """What FTS5 itself makes of ``text``: indexed with positions and read back in order."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = '{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    conn.execute("INSERT INTO t(text) VALUES (?)", (text,))
    return [term for (term,) in conn.execute("SELECT term FROM v ORDER BY offset")]


@pytest.mark.parametrize("text", [*RUNBOOKS.values(), "", "--", "plain ascii, 20 words_here"])
def test_the_index_splits_text_into_fts5s_own_words(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    assert fts_tokens(conn, text) == _fts5_tokens(text)


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_phrase_finds_what_the_words_table_finds_with_the_same_scores(
        built: tuple[SearchIndex, Library], phrase: str) -> None:
    index, _library = built
    found, statements = _searched(index, phrase)
    assert found == _word_table_scores(index, phrase)
    assert any("pairs_fts MATCH" in sql for sql in statements), statements


def test_phrases_need_their_words_side_by_side_and_in_order(
        built: tuple[SearchIndex, Library]) -> None:
    index, _library = built
    assert list(_searched(index, '"escalate to the dba"')[0]) == ["db/pool.md", "edge/gateway.rst"]
    assert list(_searched(index, '"rollout undo"')[0]) == ["db/pool.md"]
    assert _searched(index, '"undo rollout"')[0] == {}
    assert _searched(index, '"pool escalate"')[0] == {}  # both in one runbook, apart


def test_the_pairs_follow_edits_and_deletes(built: tuple[SearchIndex, Library]) -> None:
    index, library = built
    root = library.root
    (root / "db/pool.md").write_text("# Pool exhausted\n\nEscalate to the on-call lead.\n",
                                     encoding="utf-8")
    (root / "edge/gateway.rst").unlink()
    (root / "new.md").write_text("# New\n\nkubectl rollout undo, then escalate to the DBA.\n",
                                 encoding="utf-8")
    refresh_index(index, library)
    for phrase in ('"escalate to the dba"', '"rollout undo"', '"the on-call lead"'):
        found, _statements = _searched(index, phrase)
        assert found == _word_table_scores(index, phrase), phrase
    assert list(_searched(index, '"rollout undo"')[0]) == ["new.md"]
    conn = index._conn()
    held = sum(1 for _ in conn.execute("SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH ?",
                                       ('"kubectl\ue001rollout"',)))
    assert held == 1  # the deleted and edited runbooks' pairs are gone


def test_a_prefix_or_a_single_word_is_not_asked_of_the_pairs(
        built: tuple[SearchIndex, Library]) -> None:
    index, _library = built
    for query in ("pg_stat*", "escalate", "escalate dba"):
        found, statements = _searched(index, query)
        assert found and not any("pairs_fts" in sql for sql in statements), query
    hits = index.search("pg_stat_act", typing=True)
    assert [hit.path for hit in hits] == ["db/pool.md"]


def test_a_phrase_with_accents_leaves_later_searches_seeing_later_changes(
        built: tuple[SearchIndex, Library]) -> None:
    # SQLite splits such a phrase in a scratch table, on the searching
    # connection; what it writes there must not keep that connection on an
    # old snapshot of the index while another thread updates it.
    index, library = built
    assert list(_searched(index, '"la clé est naïve"')[0]) == ["fr/deploiement.md"]
    (library.root / "fr/autre.md").write_text("# Autre\n\nIci aussi la clé est naïve.\n",
                                             encoding="utf-8")
    writer = threading.Thread(target=refresh_index, args=(index, library))
    writer.start()
    writer.join()
    assert sorted(_searched(index, '"la clé est naïve"')[0]) == ["fr/autre.md",
                                                                  "fr/deploiement.md"]
