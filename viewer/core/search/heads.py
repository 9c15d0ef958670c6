"""Titles and headings alone: ranking a query that most of the library matches.

BM25 gives a word that more than half the runbooks hold no weight, so such
a query ("deploy*", "restart") ranks the runbooks whose title or headings
match first (see ``SearchIndex._rank``). Asked of the words table with a
column filter, FTS5 still walks the word's whole list, every position of
every runbook, to find the few in a title or heading: 0.5 ms of a 1.2 ms
search for ``depl*`` at 5,000 runbooks. A third contentless table,
``heads_fts``, holds only each runbook's title and headings, in the same
length-banded columns, so those lists are short.

Every runbook has a row (with padding, like the other tables), so FTS5
counts the same runbooks, and the same ones holding each word in a title
or heading, as it does for the filtered words table. With weights for its
own average length (``bm25_weights(average, heads average)``) its scores
are the words table's to the last digit.
"""

from __future__ import annotations

from viewer.core.search.length_bands import row_values

TABLE = "heads_fts"


def heads_values(band: int, title: str, headings: str) -> list[str]:
    """The column values of a runbook's row: its title and headings, nothing else."""
    return row_values(band, title, headings, "", "")
