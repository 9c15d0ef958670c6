"""Where a hit lands in its runbook: the section its matches point to, and a snippet there.

The index keeps each runbook's sections as ranges of its indexed text: the
edges (where each section starts, where its heading ends, and where the
last one ends) as an array of integers, and the anchors and headings in
one string. Both are read for the 20 runbooks shown on every search, so
they are stored to be taken as they are, not parsed: decoding them as
JSON took a sixth of the time a search spent placing its hits. For the
same reason the counting below is done by whole lists at a time, all the
terms together.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from itertools import repeat
from operator import add, mul, sub

from viewer.core.search.meta_labels import LABEL_END
from viewer.core.search.query import Matches
from viewer.core.search.results import MARK_END, MARK_START

HEADING_MATCH = 4  # a match in a section's own heading counts as this many in its text
SNIPPET_BEFORE, SNIPPET_AFTER = 60, 130  # characters around the first match
_LABEL_SEPARATOR = "\x1f"  # between anchors and headings (never in either: see encode)
_SWAP = sys.byteorder != "little"  # edges are stored little-endian, whatever the machine

SectionRange = tuple[str, str, int, int, int]  # anchor, heading, start, heading end, end


def encode_sections(ranges: Sequence[SectionRange]) -> tuple[bytes, str]:
    """(edges, labels) to store for sections that follow each other in the text."""
    edges = array("i")
    labels: list[str] = []
    for anchor, heading, start, heading_end, _end in ranges:
        edges.extend((start, heading_end))
        labels += (anchor.replace(_LABEL_SEPARATOR, " "), heading.replace(_LABEL_SEPARATOR, " "))
    if ranges:
        edges.append(ranges[-1][4])
    if _SWAP:
        edges.byteswap()
    return edges.tobytes(), _LABEL_SEPARATOR.join(labels)


def _decode_edges(stored: bytes) -> array[int]:
    edges = array("i", stored)
    if _SWAP:
        edges.byteswap()
    return edges


def land(text: str, found: Matches, stored_edges: bytes,
         labels_text: str) -> tuple[str, str, str, str]:
    """(anchor, heading, snippet, section text) of the section with the densest matches."""
    if not stored_edges:
        return "", "", "", ""
    edges = _decode_edges(stored_edges)
    terms = [starts for starts in found.starts if starts]
    best = _best_section(edges, terms) if terms else 0
    start, heading_end, end = edges[2 * best: 2 * best + 3]
    focus = None  # the first match in the section's text (not its heading)
    for starts in terms:
        k = bisect_left(starts, heading_end)
        if k < len(starts) and starts[k] < end and (focus is None or starts[k] < focus):
            focus = starts[k]
    labels = labels_text.split(_LABEL_SEPARATOR)
    return (labels[2 * best], labels[2 * best + 1], _snippet(text, found, heading_end, end, focus),
            text[start:end])


def _best_section(edges: Sequence[int], terms: list[list[int]]) -> int:
    """The section holding more of the different terms; then the one with more matches.

    A match in a section's own heading counts HEADING_MATCH times. Each
    term's matches below every edge are counted at once by bisection (a
    common word can match hundreds of times in the runbooks shown): a
    bisection per edge, not per match. The first section wins a tie.
    """
    width = len(edges)
    sections = width // 2
    scores, words = [0] * sections, [0] * sections
    for starts in terms:
        below = list(map(bisect_left, repeat(starts, width), edges))
        at_start = below[0::2]
        inside = list(map(sub, below[2::2], at_start))
        in_heading = map(sub, below[1::2], at_start)
        scores = list(map(add, scores, map(add, inside,
                                           map(mul, in_heading, repeat(HEADING_MATCH - 1)))))
        if len(terms) == 1:
            return scores.index(max(scores))
        words = list(map(add, words, map(bool, inside)))
    keys = list(zip(words, scores, strict=True))
    return keys.index(max(keys))


def front_matter_snippet(meta: str, found: Matches) -> str:
    """The front-matter value holding the first match, labelled and marked ("" if none).

    ``meta`` holds one "label\\x1fvalue" a line (``sections.LABEL_END``);
    ``found`` are the matches in it with the labels blanked out. For a
    runbook that matched only there: "Symptoms: Errors: too many clients".
    """
    spans = found.spans(0, len(meta))
    if not spans:
        return ""
    start, end = spans[0]
    line_start = meta.rfind("\n", 0, start) + 1
    line_end = meta.find("\n", end)
    line_end = len(meta) if line_end < 0 else line_end
    label_end = meta.find(LABEL_END, line_start, start)
    value_start = line_start if label_end < 0 else label_end + 1
    snippet = _snippet(meta, found, value_start - 1, line_end, start)
    return f"{meta[line_start:label_end]}: {snippet}" if label_end >= 0 else snippet


def _snippet(text: str, found: Matches, heading_end: int, end: int, focus: int | None) -> str:
    """The words around ``focus`` in a section's text, its matches marked."""
    body_start = min(heading_end + 1, end)
    if focus is None:
        focus = body_start  # matched in the heading only: show how the section begins
    lo = max(body_start, focus - SNIPPET_BEFORE)
    hi = min(end, focus + SNIPPET_AFTER)
    if lo > body_start:  # start and end on whole words
        space = text.find(" ", lo, focus)
        lo = space + 1 if space >= 0 else lo
    if hi < end:
        space = text.rfind(" ", max(focus, lo), hi)
        hi = space if space > focus else hi
    snippet = text[lo:hi]
    for a, b in reversed([(a - lo, b - lo) for a, b in found.spans(lo, hi)]):
        snippet = snippet[:a] + MARK_START + snippet[a:b] + MARK_END + snippet[b:]
    prefix = "…" if lo > body_start else ""
    suffix = "…" if hi < end and text[hi:end].strip() else ""
    return " ".join((prefix + snippet.strip() + suffix).split())
