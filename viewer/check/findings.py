"""A finding: one rule broken at one place of one file, and where in its text that is."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # '/'-separated, relative to the library root (or to the working folder)
    line: int  # 1-based
    column: int  # 1-based
    rule: str  # ID, e.g. RV003
    severity: str  # error | warning | notice
    message: str


class SourceText:
    """A file's text, for turning "the link to x.md" into a line and column."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._from: dict[str, int] = {}  # needle -> where the next search starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of a character offset."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def find(self, *needles: str, after_line: int = 0) -> tuple[int, int]:
        """Where the first of ``needles`` found is; successive calls with the same needle
        move on, so the third link to x.md is placed on the third one. (1, 1) if none is."""
        floor = self._starts[min(after_line, len(self._starts) - 1)] if after_line else 0
        for needle in needles:
            if not needle:
                continue
            start = max(self._from.get(needle, 0), floor)
            at = self.text.find(needle, start)
            if at < 0 and start:
                at = self.text.find(needle)
            if at >= 0:
                self._from[needle] = at + len(needle)
                return self.position(at)
        return 1, 1

    def heading_line(self, heading: str) -> tuple[int, int]:
        """Where a heading's text is written (its first occurrence)."""
        at = self.text.find(heading)
        return self.position(at) if at >= 0 else (1, 1)
