"""BM25's length normalisation without a lookup per match: runbooks filed by length.

FTS5's ``bm25()`` scales each match by its runbook's length, which it reads
from its ``docsize`` table with one SQL lookup per matching runbook: about
two thirds of the time a ranking takes. The index therefore keeps no
lengths (``columnsize=0`` on a contentless table). Instead, each runbook's
fields go into the columns of its *length band* (31 bands, each 1.3 times
longer than the one below), and the weights handed to ``bm25()`` carry each
band's length factor. FTS5's score

    idf * F' (k1 + 1) / (F' + k1 K0)      F' = sum of weight x matches per column

with a weight of ``field weight * K0 / K(band)`` is then exactly BM25

    idf * F (k1 + 1) / (F + k1 K(band))   K(band) = 1 - b + b * length / average

with the runbook's length rounded to the middle of its band (within 15%, up
to 64,000 words: longer runbooks all share the last band).
``K0`` is what FTS5 uses when it has no lengths: it counts each column of
a contentless table as -1 token long, so ``K0`` is 0 where the average
runbook is three times as many words as there are columns. Near that
point the slightest difference between the index's word count and
FTS5's would upset every score (and at it, all are NaN); the index counts
FTS5's own words (``vocabulary.fts_tokens``), but the margin stays. A
padding column of ~500 tokens a runbook keeps ``K0`` between 0.06 and 0.25.
"""

from __future__ import annotations

import functools
import math

FIELDS = ("title", "headings", "text", "meta")
FIELD_WEIGHTS = (10.0, 4.0, 1.0, 3.0)  # a match in the title counts ten times one in the text
BANDS = 31  # with bm25's table argument, 4 x 31 weights stay within SQLite's 127 arguments
_SHORTEST = 32  # tokens: band 0 is everything shorter
_STEP = 1.3  # each band 1.3x longer: a length is at most 15% from its band's middle
_B = 0.75  # FTS5's bm25 length constant (its k1 cancels out of the weights)


def band_of(tokens: int) -> int:
    """The length band of a runbook with this many tokens."""
    if tokens < _SHORTEST:
        return 0
    return min(BANDS - 1, 1 + int(math.log(tokens / _SHORTEST, _STEP)))


def _band_middle(band: int) -> float:
    return _SHORTEST / 2 if band == 0 else _SHORTEST * _STEP ** (band - 0.5)


def columns_of(*fields: str) -> list[str]:
    """Every band's column of the named fields (for an FTS5 column filter)."""
    return [f"{field}_{band}" for field in fields for band in range(BANDS)]


COLUMNS = tuple(columns_of(*FIELDS))
PAD_COLUMN = "pad"
_PAD_TOKENS = 4 * len(COLUMNS)
# A private-use character: a token of its own for unicode61, and nothing anyone types.
PAD_CHARACTER = "\ue000"
PADDING = " ".join(PAD_CHARACTER * _PAD_TOKENS)


def row_values(band: int, title: str, headings: str, text: str, meta: str) -> list[str]:
    """The values of every column, in order, for a runbook in ``band`` (padding last)."""
    values = [""] * len(COLUMNS)
    for position, value in enumerate((title, headings, text, meta)):
        values[position * BANDS + band] = value
    return [*values, PADDING]


@functools.lru_cache(maxsize=8)  # the same for every search until the index changes
def bm25_weights(average_tokens: float, held_tokens: float | None = None) -> tuple[float, ...]:
    """The weight of every column for ``bm25()``, given the library's average length.

    ``average_tokens`` (the runbooks' own words) sets each band's length
    factor. ``K0`` comes from what the table holds on average besides its
    padding: ``held_tokens``, when that is not the words themselves (the
    word-pairs table holds one pair fewer than words in each field). ``K0``
    then cancels out of every score, so both tables score alike.
    """
    average = max(average_tokens, 1.0)
    fts_average = (average if held_tokens is None else held_tokens) + _PAD_TOKENS
    k0 = 1 - _B + _B * -(len(COLUMNS) + 1) / fts_average
    factors = [1 - _B + _B * _band_middle(band) / average for band in range(BANDS)]
    return tuple(weight * k0 / factor for weight in FIELD_WEIGHTS for factor in factors)
