"""Quick-open matching: a few typed letters find a runbook by title or path.

Each word typed must appear in order, not necessarily together ("dbpool"
finds "Database connection pool"); letters that start words and letters
that follow one another score more, so the obvious runbook comes first.
Ties go to the runbook opened most recently.
"""

from __future__ import annotations

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
    choices: list[Choice] = []
    for path, title in documents:
        score = fuzzy_score(query, title, path)
        if score is None:
            continue
        choices.append(Choice(path, title, score, recency.get(path)))

    def order(choice: Choice) -> tuple:
        recent_key = choice.recent_rank if choice.recent_rank is not None else len(recency) + 1
        if not query.strip():
            return (recent_key, choice.title.lower(), choice.path)
        # Recency tips the balance between close scores, never over a clearly better match.
        boost = 6 if choice.recent_rank is not None else 0
        return (-(choice.score + boost), recent_key, len(choice.path), choice.path)

    return sorted(choices, key=order)[:limit]
