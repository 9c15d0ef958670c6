"""Word pairs: a phrase matched without walking the lists of its common words.

FTS5 matches a phrase by reading the position list of every word in it, so
``"cache miss rate over 20%"`` reads the lists of "over" (nearly every
runbook), "rate" and "20"; and ``bm25()`` does all of it again to count
the runbooks that hold the phrase (its IDF). At 5,000 runbooks that was 2
of the 3 ms the ranking took. Like Elasticsearch's ``index_phrases`` (Lucene's
shingles), a second FTS5 table, ``pairs_fts``, holds each pair of adjacent
words as one token ("cache\\ue001miss"), and a phrase of n words is asked
for as the phrase of its n - 1 pairs, whose lists are short.

A phrase occurs exactly where its pairs occur side by side in the same
field, so the pairs table matches the same runbooks as often as the words
table does. It has the same length-banded columns (see ``length_bands``),
and with weights for its own average length its BM25 scores are the words
table's, to the last digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

# A private-use character: unicode61 keeps it inside a token, and no one types it.
JOINER = "\ue001"
TABLE = "pairs_fts"


def pairs_text(words: Sequence[str]) -> str:
    """Each pair of adjacent ``words`` as one token, in order (what ``pairs_fts`` holds)."""
    return " ".join([first + JOINER + second for first, second in itertools.pairwise(words)])


def pair_count(words: Sequence[str]) -> int:
    """How many tokens ``pairs_text(words)`` is to FTS5."""
    return max(len(words) - 1, 0)


def phrase_expression(words: Sequence[str]) -> str:
    """The MATCH expression for the phrase of ``words`` (two or more) on ``pairs_fts``.

    The words are FTS5's own tokens, which never hold a double quote.
    """
    return f'"{pairs_text(words)}"'
