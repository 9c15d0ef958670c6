"""Counts in words: "1 file", "2 files", as the app says them everywhere."""

from __future__ import annotations


def plural(count: int, word: str, many: str = "") -> str:
    """``plural(1, "file")`` -> "1 file"; ``plural(3, "copy", "copies")`` -> "3 copies"."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
