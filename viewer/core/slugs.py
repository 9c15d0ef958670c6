"""Heading anchors the way GitHub makes them, so hand-written tables of contents work.

GitHub lower-cases the heading text, drops every character that is not a
letter, digit, underscore, hyphen or space (any script: non-ASCII letters
stay), turns each space into a hyphen, and numbers repeats ``-1``, ``-2``.
"""

from __future__ import annotations

import re

_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_slug(text: str) -> str:
    """``"Monitoring & Alerts"`` -> ``"monitoring--alerts"``."""
    return _DROP.sub("", text.strip().lower()).replace(" ", "-")


class Slugger:
    """Hands out unique anchors within one document, GitHub-style.

    Like github-slugger, each base remembers the last number it handed out,
    so 25,000 headings of the same name cost 25,000 steps, not 25,000²/2.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._next: dict[str, int] = {}

    def reserve(self, anchor: str) -> None:
        self._seen.add(anchor)

    def unique(self, base: str) -> str:
        anchor = base
        if anchor in self._seen:
            n = self._next.get(base, 1)
            while (anchor := f"{base}-{n}") in self._seen:
                n += 1
            self._next[base] = n + 1
        self._seen.add(anchor)
        return anchor

    def slug(self, text: str) -> str:
        return self.unique(github_slug(text))
