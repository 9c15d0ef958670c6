"""Quick-open matching: a few typed letters find a runbook by title or path.

Each word typed must appear in order, not necessarily together ("dbpool"
finds "Database connection pool"); letters that start words and letters
that follow one another score more, so the obvious runbook comes first.
Ties go to the runbook opened most recently.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_START_BONUS = 12  # the very first character
_WORD_START_BONUS = 8  # after a space, /, -, _, .
_RUN_BONUS = 5  # right after the previous matched character
_GAP_PENALTY = 1
_SEPARATORS = " /-_.:›"


def _subsequence_score(needle: str, hay: str) -> int | None:
    """Best score of ``needle``'s letters in order inside ``hay`` (both lowercase)."""
    best: int | None = None
    starts = [i for i, ch in enumerate(hay) if ch == needle[0]][:12]
    for start in starts:
        score, last, ok = 0, start - 1, True
        position = start
        for ch in needle:
            found = hay.find(ch, position)
            if found < 0:
                ok = False
                break
            # Prefer a later occurrence that starts a word when the next
            # letter is not adjacent anyway.
            if found != last + 1:
                word_start = next((i for i in range(found, len(hay))
                                   if hay[i] == ch and (i == 0 or hay[i - 1] in _SEPARATORS)),
                                  -1)
                if word_start >= 0 and word_start - found < 24:
                    found = word_start
            if found == 0:
                score += _START_BONUS
            elif hay[found - 1] in _SEPARATORS:
                score += _WORD_START_BONUS
            if found == last + 1:
                score += _RUN_BONUS
            else:
                score -= min(_GAP_PENALTY * (found - last - 1), 10)
            score += 1
            last, position = found, found + 1
        if ok and (best is None or score > best):
            best = score
    return best


def fuzzy_score(query: str, *texts: str) -> int | None:
    """Score of ``query`` against the best of ``texts``; None when a word does not match."""
    words = query.lower().split()
    if not words:
        return 0
    total = 0
    for word in words:
        scores = [s for s in (_subsequence_score(word, t.lower()) for t in texts if t)
                  if s is not None]
        if not scores:
            return None
        total += max(scores)
    return total


@dataclass(frozen=True)
class Choice:
    path: str
    title: str
    score: int
    recent_rank: int | None  # 0 = opened last


def rank_choices(query: str, documents: Iterable[tuple[str, str]], recent: Sequence[str],
                 limit: int = 50) -> list[Choice]:
    """(path, title) pairs ranked for quick-open; recent ones first when nothing is typed."""
    recency = {path: i for i, path in enumerate(recent)}
    return _best(query, _scored(query, documents, recency), recency, limit)


def _scored(query: str, documents: Iterable[tuple[str, str]],
            recency: dict[str, int]) -> list[Choice]:
    """Every document ``query`` matches, with its score."""
    choices: list[Choice] = []
    for path, title in documents:
        score = fuzzy_score(query, title, path)
        if score is not None:
            choices.append(Choice(path, title, score, recency.get(path)))
    return choices


def _best(query: str, choices: list[Choice], recency: dict[str, int],
          limit: int) -> list[Choice]:
    def order(choice: Choice) -> tuple:
        recent_key = choice.recent_rank if choice.recent_rank is not None else len(recency) + 1
        if not query.strip():
            return (recent_key, choice.title.lower(), choice.path)
        # Recency tips the balance between close scores, never over a clearly better match.
        boost = 6 if choice.recent_rank is not None else 0
        return (-(choice.score + boost), recent_key, len(choice.path), choice.path)

    return sorted(choices, key=order)[:limit]


SCORED_AT_MOST = 1500  # runbooks scored for one query; see FuzzyCatalog
_PARTS = "\x00"  # between a runbook's title and path in the catalog's one string each


class FuzzyCatalog:
    """The runbooks quick-open ranks: lower-cased once, and narrowed as the reader types.

    Scoring is Python, ~20 µs a runbook: at 50,000 runbooks a keystroke cost
    0.4-1 s. Here each typed word is first looked for as a subsequence of
    the title or the path by a compiled pattern (the test the score makes,
    at C speed); typing on narrows from the previous query's matches; and
    when more than :data:`SCORED_AT_MOST` match (a letter or two typed in a
    big library), those whose title or path begins with the first letter
    are scored first, then those with a word beginning with it, up to that
    many. One query at a time per catalog (a lock sees to it).
    """

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        self.documents = list(documents)
        self._joined = [f"{title.lower()}{_PARTS}{path.lower()}"
                        for path, title in self.documents]
        self._last: tuple[str, list[int]] = ("", list(range(len(self.documents))))
        self._by_title: list[int] | None = None
        self._lock = threading.Lock()

    def rank(self, query: str, recent: Sequence[str], limit: int = 50) -> tuple[list[Choice],
                                                                                int]:
        """The best ``limit`` choices for ``query``, and how many runbooks match it."""
        recency = {path: i for i, path in enumerate(recent)}
        with self._lock:
            if not query.split():
                return self._first_by_title(recency, limit), len(self.documents)
            matched = self._matching(query.lower())
        likeliest = self._likeliest(query.lower().split()[0][0], matched)
        choices = _scored(query, (self.documents[i] for i in likeliest), recency)
        # The pattern finds a word from any place; the score tries the first 12 places only.
        found = len(choices) if len(likeliest) == len(matched) else len(matched)
        return _best(query, choices, recency, limit), found

    def _matching(self, query: str) -> list[int]:
        last_query, last = self._last
        pool = last if query.startswith(last_query) else range(len(self.documents))
        patterns = [_subsequence_pattern(word).search for word in query.split()]
        joined = self._joined
        matched = [i for i in pool if all(found(joined[i]) for found in patterns)]
        self._last = (query, matched)
        return matched

    def _likeliest(self, letter: str, matched: list[int]) -> list[int]:
        if len(matched) <= SCORED_AT_MOST:
            return matched
        first = re.compile(f"(?:^|{_PARTS}){re.escape(letter)}").search
        word = re.compile(f"[{re.escape(_SEPARATORS + _PARTS)}]{re.escape(letter)}").search
        joined = self._joined
        starts = [i for i in matched if first(joined[i])]
        if len(starts) < SCORED_AT_MOST:
            taken = set(starts)
            starts += [i for i in matched if i not in taken and word(joined[i])]
        if len(starts) < SCORED_AT_MOST:
            taken = set(starts)
            starts += [i for i in matched if i not in taken]
        return starts[:SCORED_AT_MOST]

    def _first_by_title(self, recency: dict[str, int], limit: int) -> list[Choice]:
        if self._by_title is None:
            self._by_title = sorted(range(len(self.documents)), key=lambda i: (
                self.documents[i][1].lower(), self.documents[i][0]))
        titles = dict(self.documents)
        recent = sorted((path for path in recency if path in titles), key=recency.__getitem__)
        chosen = [Choice(path, titles[path], 0, recency[path]) for path in recent[:limit]]
        for i in self._by_title:
            if len(chosen) >= limit:
                break
            path, title = self.documents[i]
            if path not in recency:
                chosen.append(Choice(path, title, 0, None))
        return chosen


def _subsequence_pattern(word: str) -> re.Pattern[str]:
    """Matches where ``word``'s letters occur in order within the title or within the path.

    The search looks for the first letter as a literal (fast), then each next one by
    skipping everything that is not it (nor the title's end): no backtracking.
    """
    return re.compile(re.escape(word[0]) + "".join(
        f"[^{re.escape(_PARTS + letter)}]*{re.escape(letter)}" for letter in word[1:]))
