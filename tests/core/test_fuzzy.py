"""Quick-open matching: the catalog answers as the plain ranking does, and scales."""

from __future__ import annotations

import random

from viewer.core.fuzzy import SCORED_AT_MOST, FuzzyCatalog, rank_choices

WORDS = ["postgres", "pool", "gateway", "5xx", "ledger", "dead", "letter", "queue", "cache",
         "redis", "certificate", "expired", "disk", "full", "rollback", "deploy", "etcd"]


def _documents(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    documents = []
    for n in range(count):
        title = " ".join(rng.sample(WORDS, 3)).capitalize()
        folder = rng.choice(["db", "edge", "platform/storage", "alerts"])
        documents.append((f"{folder}/{'-'.join(title.lower().split())}-{n}.md", title))
    return documents


def test_the_catalog_ranks_exactly_as_the_plain_ranking() -> None:
    documents = _documents(600)
    catalog = FuzzyCatalog(documents)
    recent = [documents[5][0], documents[90][0], "gone/missing.md"]
    typed = ["", "p", "po", "pool", "pool g", "pool gw", "pgpool", "led dq", "le", "x", "etcd",
             "zzz", "deploy/", "DB", "5xx"]
    for query in typed:  # in this order: typing on, backspacing, starting again
        choices, matched = catalog.rank(query, recent)
        assert choices == rank_choices(query, documents, recent), query
        if query.strip():
            assert matched == sum(
                1 for path, title in documents
                if rank_choices(query, [(path, title)], []) != [])


def test_a_big_catalog_scores_the_likeliest_first_and_says_how_many_match() -> None:
    documents = _documents(3 * SCORED_AT_MOST)
    catalog = FuzzyCatalog(documents)
    choices, matched = catalog.rank("l", [])
    assert matched == sum(1 for path, title in documents if "l" in title.lower() + path)
    assert len(choices) == 50
    assert all(choice.title.lower().startswith("l") for choice in choices)
    choices, matched = catalog.rank("ledger dead", [])
    assert choices == rank_choices("ledger dead", documents, [])  # few enough to score all
